package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Issue 32: a model file crafted as an attacker would (a tiny x2 network whose output carries a WriteFile as a
 * control dependency and reads a file through {@code 0 * StringLength(ReadFile(...))}) is refused in one sentence,
 * exit 2, before anything of it runs: the attacker's file never appears and nothing is written.
 */
class UntrustedModelsTest {
  @TempDir Path tmp;

  /** conv 3x3 3→12, depth-to-space 2, plus the file write and read on the way to the output. */
  private Operand<TFloat32> evilNetwork(Ops tf, Operand<TFloat32> x, Path pwned) {
    Op write = tf.io.writeFile(tf.constant(pwned.toString()), tf.constant("pwned"));
    Operand<TFloat32> w = tf.variable(tf.fill(tf.constant(new long[] {3, 3, 3, 12}), tf.constant(0.01f)));
    Operand<TFloat32> y = tf.nn.depthToSpace(tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME"), 2L);
    Operand<TFloat32> leak = tf.math.mul(tf.constant(0f), tf.dtypes.cast(
        tf.strings.stringLength(tf.io.readFile(tf.constant("/etc/hostname"))), TFloat32.class));
    return tf.withControlDependencies(List.of(write)).withName("sr_out").math.add(y, leak);
  }

  private Path lr() throws Exception {
    Path lr = tmp.resolve("lr.png");
    ImageFiles.writePng(new RgbImage(16, 16, new float[16 * 16 * 3]), lr);
    return lr;
  }

  @Test
  void aFrozenGraphThatWritesAFileIsRefusedBeforeItRuns() throws Exception {
    Path pwned = tmp.resolve("pwned-frozen.txt");
    Path pb = tmp.resolve("evil.pb");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = tf.withName("input").placeholder(TFloat32.class,
          org.tensorflow.op.core.Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Op write = tf.io.writeFile(tf.constant(pwned.toString()), tf.constant("pwned"));
      Operand<TFloat32> w = tf.constant(new float[3][3][3][12]);
      Operand<TFloat32> y = tf.nn.depthToSpace(tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME"), 2L);
      tf.withControlDependencies(List.of(write)).withName("sr_out").identity(y);
      Files.write(pb, g.toGraphDef().toByteArray());
    }
    Path out = tmp.resolve("built");
    BadInputTest.Run r = BadInputTest.run("build", "graphdef", "--graph", pb.toString(), "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("'WriteFile' node") && r.err().contains("nothing of it was run"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(pwned), "the graph's WriteFile ran");
    assertFalse(Files.exists(out), "something was written");
  }

  @Test
  void aSavedModelThatWritesAFileIsRefusedByTuneAndByBuild() throws Exception {
    Path pwned = tmp.resolve("pwned-saved.txt");
    Path model = TinyModels.save(tmp.resolve("evil-model"), 2, (tf, x) -> evilNetwork(tf, x, pwned));
    assertFalse(Files.exists(pwned), "writing the test's model ran the write");
    Path out = tmp.resolve("tuned");
    BadInputTest.Run tune = BadInputTest.run("tune", "--model", model.toString(), "--input", lr().toString(),
        "--scale", "2", "--lpips", "none", "--out", out.toString());
    assertEquals(2, tune.code(), tune.err());
    assertTrue(tune.err().contains("'WriteFile' node") || tune.err().contains("'ReadFile' node"), tune.err());
    assertFalse(Files.exists(pwned), "tune ran the model's WriteFile");
    assertFalse(Files.exists(out.resolve("sr.png")), "tune wrote an output");

    Path built = tmp.resolve("rebuilt");
    BadInputTest.Run build = BadInputTest.run("build", "savedmodel", "--dir", model.toString(), "--out",
        built.toString());
    assertEquals(2, build.code(), build.err());
    assertTrue(build.err().contains("refuses this model"), build.err());
    assertFalse(Files.exists(pwned), "build savedmodel ran the model's WriteFile");
    assertFalse(Files.exists(built), "build savedmodel wrote something");
  }
}
