package dev.srtune.cli;

import static dev.srtune.cli.BadInputTest.assertOneSentence;
import static dev.srtune.cli.BadInputTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.testing.TfGraphFiles;
import dev.srtune.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * {@code build graphdef} and {@code build checkpoint} on graphs they must refuse: one sentence naming what to do,
 * exit code 2, no output folder created. Where the refusal names candidates, passing one of them works.
 */
class BuildFromTfGraphCliTest {
  @TempDir Path tmp;

  private static Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, long seed) {
    Operand<TFloat32> w = tf.constant(Shape.of(3, 3, 3, 3),
        org.tensorflow.ndarray.buffer.DataBuffers.of(TfGraphFiles.Weights.random(3, seed).w1()));
    return tf.nn.conv2d(TinyModels.nearestUp(tf, x, 2), w, List.of(1L, 1L, 1L, 1L), "SAME");
  }

  @Test
  void graphWithoutAFloatImageInputIsRefused() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("vector.pb"), tf -> {
      Placeholder<TFloat32> x = tf.withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 8)));
      tf.withName("logits").linalg.matMul(x, tf.constant(new float[8][2]));
    });
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "graphdef", "--graph", pb.toString(), "--out", out.toString()),
        "no float placeholder of image shape");
    assertFalse(Files.exists(out));
  }

  @Test
  void twoCandidateOutputsAreNamedAndOneCanBeChosen() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("two-heads.pb"), tf -> {
      Placeholder<TFloat32> x = TfGraphFiles.input(tf, "images");
      tf.withName("head_a").identity(conv(tf, x, 1));
      tf.withName("head_b").identity(conv(tf, x, 2));
    });
    Path out = tmp.resolve("out");
    BadInputTest.Run r = run("build", "graphdef", "--graph", pb.toString(), "--out", out.toString());
    assertOneSentence(r, "2 candidate outputs (head_a (x2), head_b (x2)); pass --output");
    assertFalse(Files.exists(out));

    BadInputTest.Run ok = run("build", "graphdef", "--graph", pb.toString(), "--output", "head_b", "--out",
        out.toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(Files.exists(out.resolve("saved_model.pb")));
  }

  @Test
  void twoUnrelatedInputsAreNamedAndOneCanBeChosen() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("two-inputs.pb"), tf -> {
      tf.withName("out_left").identity(conv(tf, TfGraphFiles.input(tf, "left"), 1));
      tf.withName("out_right").identity(conv(tf, TfGraphFiles.input(tf, "right"), 2));
    });
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "graphdef", "--graph", pb.toString(), "--out", out.toString()),
        "2 candidate inputs (left, right); pass --input");
    assertFalse(Files.exists(out));
    BadInputTest.Run ok = run("build", "graphdef", "--graph", pb.toString(), "--input", "right", "--out",
        out.toString());
    assertEquals(0, ok.code(), ok.err());
  }

  @Test
  void anOutputThatNeedsAnUnknownPlaceholderNamesIt() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("gain.pb"), tf -> {
      Operand<TFloat32> gain = tf.withName("gain").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      tf.withName("out").identity(tf.math.mul(conv(tf, TfGraphFiles.input(tf, "images"), 1), gain));
    });
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "graphdef", "--graph", pb.toString(), "--out", out.toString()),
        "also need the placeholder(s) gain");
    assertFalse(Files.exists(out));
  }

  @Test
  void graphWithNoWeightToThawIsRefused() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("nearest.pb"), tf ->
        tf.withName("up").identity(TinyModels.nearestUp(tf, TfGraphFiles.input(tf, "images"), 2)));
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "graphdef", "--graph", pb.toString(), "--out", out.toString()),
        "nothing could be made trainable");
    assertFalse(Files.exists(out));
  }

  @Test
  void scaleThatDiffersFromTheMeasuredOneIsRefused() throws Exception {
    Path pb = TfGraphFiles.writeFrozen(tmp.resolve("x2.pb"), TfGraphFiles.Weights.random(4, 3));
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "graphdef", "--graph", pb.toString(), "--scale", "3", "--out", out.toString()),
        "upscales by 2, not by the --scale 3");
    assertFalse(Files.exists(out));
  }

  @Test
  void checkpointOfAnotherNetworkIsRefused() throws Exception {
    Path meta = TfGraphFiles.writeMetaGraph(tmp.resolve("a"), TfGraphFiles.Weights.random(8, 1));
    Path other = TfGraphFiles.writeMetaGraph(tmp.resolve("b"), TfGraphFiles.Weights.random(6, 1));
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "checkpoint", "--meta", meta.toString(), "--checkpoint",
        other.resolveSibling("model.ckpt").toString(), "--out", out.toString()), "does not match the meta graph");
    assertFalse(Files.exists(out));
  }

  @Test
  void missingCheckpointIsRefused() throws Exception {
    Path meta = TfGraphFiles.writeMetaGraph(tmp.resolve("a"), TfGraphFiles.Weights.random(4, 1));
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "checkpoint", "--meta", meta.toString(), "--checkpoint",
        tmp.resolve("a/model.ckpt-999").toString(), "--out", out.toString()), "pass its prefix with --checkpoint");
    assertFalse(Files.exists(out));
  }

  @Test
  void networkWithAnOpWithoutGradientIsRefused() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("area.pb"), tf -> {
      // A fixed 8x8 input, so the probe pass is 8x8 and the area resize to 16x16 is a x2 network.
      Operand<TFloat32> h = conv(tf, tf.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(1, 8, 8, 3))), 1);
      tf.withName("out").identity(tf.image.resizeArea(h, tf.constant(new int[] {16, 16})));
    });
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "graphdef", "--graph", pb.toString(), "--out", out.toString()),
        "no gradient for its ResizeArea op");
    assertFalse(Files.exists(out));
  }

  /** A variable of the given shape filled with seeded values, for the SavedModels below. */
  private static TFloat32 variable(Shape shape, long seed) {
    java.util.Random r = new java.util.Random(seed);
    return TFloat32.tensorOf(shape, d -> d.scalars().forEach(x -> x.setFloat((float) (r.nextGaussian() * 0.2))));
  }

  private static Operand<TFloat32> convUp(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
    return tf.nn.conv2d(TinyModels.nearestUp(tf, x, 2), w, List.of(1L, 1L, 1L, 1L), "SAME");
  }

  @Test
  void savedModelWithoutAFloatImageInputIsRefused() throws Exception {
    try (TFloat32 w = variable(Shape.of(8, 2), 1)) {
      Path sm = TfGraphFiles.writeFunctionSavedModel(tmp.resolve("vector"), Map.of("features", Shape.of(1, 8)),
          Map.of("w", w), (tf, in, v) -> Map.of("logits", tf.linalg.matMul(in.get("features"), v.apply("w"))));
      Path out = tmp.resolve("out");
      assertOneSentence(run("build", "savedmodel", "--dir", sm.toString(), "--out", out.toString()),
          "has no float input of image shape [1,H,W,C] (its inputs: features)");
      assertFalse(Files.exists(out));
    }
  }

  @Test
  void savedModelWithTwoImageOutputsIsRefusedAndOneCanBeChosen() throws Exception {
    try (TFloat32 w = variable(Shape.of(3, 3, 3, 3), 2)) {
      Path sm = TfGraphFiles.writeFunctionSavedModel(tmp.resolve("two-heads"), Map.of("x", Shape.of(1, -1, -1, 3)),
          Map.of("w", w), (tf, in, v) -> {
            Map<String, Operand<?>> outs = new java.util.LinkedHashMap<>();
            outs.put("head_a", convUp(tf, in.get("x"), v.apply("w")));
            outs.put("head_b", tf.math.neg(convUp(tf, in.get("x"), v.apply("w"))));
            return outs;
          });
      Path out = tmp.resolve("out");
      assertOneSentence(run("build", "savedmodel", "--dir", sm.toString(), "--out", out.toString()),
          "2 candidate outputs (head_a, head_b); pass --output with one of them");
      assertFalse(Files.exists(out));
      BadInputTest.Run ok = run("build", "savedmodel", "--dir", sm.toString(), "--output", "head_b", "--out",
          out.toString());
      assertEquals(0, ok.code(), ok.err());
      assertTrue(Files.exists(out.resolve("saved_model.pb")));
    }
  }

  @Test
  void savedModelWithAnOpWithoutGradientIsRefused() throws Exception {
    try (TFloat32 w = variable(Shape.of(3, 3, 3, 3), 3)) {
      Path sm = TfGraphFiles.writeFunctionSavedModel(tmp.resolve("area"), Map.of("x", Shape.of(1, 8, 8, 3)),
          Map.of("w", w), (tf, in, v) -> Map.of("y", tf.image.resizeArea(convUp(tf, in.get("x"), v.apply("w")),
              tf.constant(new int[] {16, 16}))));
      Path out = tmp.resolve("out");
      assertOneSentence(run("build", "savedmodel", "--dir", sm.toString(), "--out", out.toString()),
          "no gradient for its ResizeArea op");
      assertFalse(Files.exists(out));
    }
  }

  @Test
  void savedModelWithAnotherModelsVariablesIsRefused() throws Exception {
    Path a = TfGraphFiles.writeFunctionSavedModel(tmp.resolve("a"), TfGraphFiles.Weights.random(8, 1));
    Path b = TfGraphFiles.writeFunctionSavedModel(tmp.resolve("b"), TfGraphFiles.Weights.random(6, 1));
    try (var files = Files.list(b.resolve("variables"))) {
      for (Path f : files.toList()) {
        Files.copy(f, a.resolve("variables").resolve(f.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "savedmodel", "--dir", a.toString(), "--out", out.toString()),
        "do not match the graph");
    assertFalse(Files.exists(out));
  }

  @Test
  void savedModelRefusalsForAMissingFolderAndAnUnknownSignature() throws Exception {
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "savedmodel", "--dir", tmp.resolve("nothing").toString(), "--out",
        out.toString()), "holds no saved_model.pb");
    Path sm = TfGraphFiles.writeFunctionSavedModel(tmp.resolve("sm"), TfGraphFiles.Weights.random(4, 1));
    assertOneSentence(run("build", "savedmodel", "--dir", sm.toString(), "--signature", "predict", "--out",
        out.toString()), "no signature 'predict'; pass --signature with one of: serving_default");
    assertFalse(Files.exists(out));
  }

  @Test
  void checkpointWithoutAFloatImageInputIsRefused() throws Exception {
    Path meta = TfGraphFiles.writeMetaGraph(tmp.resolve("vector"), tf -> {
      Placeholder<TFloat32> x = tf.withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 8)));
      tf.withName("logits").linalg.matMul(x, tf.withName("w").variable(tf.constant(new float[8][2])));
    });
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "checkpoint", "--meta", meta.toString(), "--out", out.toString()),
        "no float placeholder of image shape");
    assertFalse(Files.exists(out));
  }

  @Test
  void checkpointWithTwoCandidateOutputsIsRefused() throws Exception {
    Path meta = TfGraphFiles.writeMetaGraph(tmp.resolve("two-heads"), tf -> {
      Placeholder<TFloat32> x = TfGraphFiles.input(tf, "images");
      Operand<TFloat32> w = tf.withName("w").variable(tf.constant(Shape.of(3, 3, 3, 3),
          org.tensorflow.ndarray.buffer.DataBuffers.of(TfGraphFiles.Weights.random(3, 1).w1())));
      tf.withName("head_a").identity(convUp(tf, x, w));
      tf.withName("head_b").identity(tf.math.neg(convUp(tf, x, w)));
    });
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "checkpoint", "--meta", meta.toString(), "--out", out.toString()),
        "2 candidate outputs (head_a (x2), head_b (x2)); pass --output");
    assertFalse(Files.exists(out));
  }

  @Test
  void checkpointWithAnOpWithoutGradientIsRefused() throws Exception {
    Path meta = TfGraphFiles.writeMetaGraph(tmp.resolve("area"), tf -> {
      Operand<TFloat32> w = tf.withName("w").variable(tf.constant(Shape.of(3, 3, 3, 3),
          org.tensorflow.ndarray.buffer.DataBuffers.of(TfGraphFiles.Weights.random(3, 1).w1())));
      Operand<TFloat32> x = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 8, 8, 3)));
      tf.withName("out").identity(tf.image.resizeArea(convUp(tf, x, w), tf.constant(new int[] {16, 16})));
    });
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "checkpoint", "--meta", meta.toString(), "--out", out.toString()),
        "no gradient for its ResizeArea op");
    assertFalse(Files.exists(out));
  }

  @Test
  void badAdapterOptionsAreRefused() throws Exception {
    Path pb = TfGraphFiles.writeFrozen(tmp.resolve("x2.pb"), TfGraphFiles.Weights.random(4, 3));
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "graphdef", "--graph", pb.toString(), "--channels", "rgba", "--out",
        out.toString()), "--channels must be rgb, bgr or y");
    assertOneSentence(run("build", "graphdef", "--graph", pb.toString(), "--mean", "1,2", "--out", out.toString()),
        "--mean needs three values");
    assertOneSentence(run("build", "graphdef", "--graph", pb.toString(), "--mean", "grey", "--out", out.toString()),
        "--mean must be R,G,B numbers");
    assertOneSentence(run("build", "graphdef", "--graph", pb.toString(), "--bicubic-input", "upscaled", "--out",
        out.toString()), "'upscaled' is not a float placeholder of rank 4 in the graph; pass --bicubic-input");
    assertFalse(Files.exists(out));
  }

  @Test
  void aVariableUsedOtherwiseThanByAPlainReadIsRefused() throws Exception {
    Path meta = TfGraphFiles.writeMetaGraph(tmp.resolve("gather"), tf -> {
      var h = tf.withName("w").varHandleOp(TFloat32.class, Shape.of(3, 3, 3, 3),
          org.tensorflow.op.core.VarHandleOp.sharedName("w"));
      tf.withInitScope().assignVariableOp(h, tf.constant(Shape.of(3, 3, 3, 3),
          org.tensorflow.ndarray.buffer.DataBuffers.of(TfGraphFiles.Weights.random(3, 1).w1())));
      Operand<TFloat32> w = tf.withName("gathered").resourceGather(h, tf.constant(new int[] {0, 1, 2}),
          TFloat32.class);
      tf.withName("out").identity(convUp(tf, TfGraphFiles.input(tf, "images"), w));
      tf.withName("global_step").variable(tf.constant(0f)); // so the default saver writes a checkpoint
    });
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "checkpoint", "--meta", meta.toString(), "--out", out.toString()),
        "uses its variable 'w' through a ResourceGather op");
    assertFalse(Files.exists(out));
  }
}
