package dev.srtune.cli;

import static dev.srtune.cli.BadInputTest.assertOneSentence;
import static dev.srtune.cli.BadInputTest.run;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.srtune.testing.PythonH5;
import dev.srtune.testing.Shared;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build keras} and a pre-upsampling {@code build checkpoint} on inputs they must refuse: one sentence, exit
 * code 2, no output folder. The damaged .h5 files are made here from Fast-SRGAN's generator (cut short in Java;
 * edited with h5py: its {@code model_config} removed, a layer's class renamed, a TensorFlowOpLayer's op changed).
 */
@Tag("integration")
class BuildKerasCliTest {
  @TempDir Path tmp;

  private static Path generator() {
    return Shared.path("models/tf-real/keras/fast-srgan/generator.h5");
  }

  private void assertRefused(Path h5, String fragment) {
    Path out = tmp.resolve("out");
    assertOneSentence(run("build", "keras", "--h5", h5.toString(), "--out", out.toString()), fragment);
    assertFalse(Files.exists(out), "nothing written");
  }

  /** A copy of the generator edited by a Python statement on the open h5py file {@code f}. */
  private Path edited(String name, String statement) throws Exception {
    Path copy = tmp.resolve(name);
    Files.copy(generator(), copy);
    copy.toFile().setWritable(true);
    PythonH5.run("import h5py, json, sys\nf = h5py.File(sys.argv[1], 'r+')\n" + statement + "\nf.close()",
        copy.toString());
    return copy;
  }

  @Test
  void aTruncatedFileIsRefused() throws Exception {
    Path cut = tmp.resolve("cut.h5");
    try (InputStream in = Files.newInputStream(generator())) {
      Files.write(cut, in.readNBytes(400_000));
    }
    assertRefused(cut, "cut.h5 cannot be read as HDF5");
  }

  @Test
  void aWeightsOnlyFileIsRefused() throws Exception {
    assertRefused(edited("weights-only.h5", "del f.attrs['model_config']"), "holds no model_config");
  }

  @Test
  void anUnknownLayerClassIsNamedWithItsLayer() throws Exception {
    Path h5 = edited("unknown-layer.h5", """
        c = json.loads(f.attrs['model_config'])
        for l in c['config']['layers']:
            if l['name'] == 'p_re_lu':
                l['class_name'] = 'FancyActivation'
        f.attrs['model_config'] = json.dumps(c)""");
    assertRefused(h5, "Layer 'p_re_lu' is a FancyActivation, which srtune cannot rebuild");
  }

  @Test
  void aTensorFlowOpLayerThatIsNotTensorMathIsRefused() throws Exception {
    Path h5 = edited("write-file-layer.h5", """
        c = json.loads(f.attrs['model_config'])
        for l in c['config']['layers']:
            if l['class_name'] == 'TensorFlowOpLayer':
                l['config']['node_def']['op'] = 'WriteFile'
        f.attrs['model_config'] = json.dumps(c)""");
    assertRefused(h5, "running 'WriteFile', which is not stateless tensor math");
  }

  @Test
  void aGivenOutputRangeIsTakenAndABadOneRefused() throws Exception {
    Path out = tmp.resolve("signed");
    BadInputTest.Run r = run("build", "keras", "--h5", generator().toString(), "--output-range", "-1,1", "--out",
        out.toString());
    org.junit.jupiter.api.Assertions.assertEquals(0, r.code(), r.err());
    String meta = Files.readString(out.resolve("srtune.json"));
    org.junit.jupiter.api.Assertions.assertTrue(meta.contains("\"output_range\"") && !meta.contains("measured on a "
        + "smooth test image, (out + 1)"), meta);
    Path never = tmp.resolve("never");
    assertOneSentence(run("build", "keras", "--h5", generator().toString(), "--output-range", "0,255", "--out",
        never.toString()), "--output-range must be -1,1 or 0,1, not '0,255'");
    assertFalse(Files.exists(never), "nothing written");
  }

  @Test
  void aPreUpsamplingNetworkWithoutScaleIsRefused() {
    Path meta = Shared.path("models/tf-real/srcnn/SRCNN.model-2550000.meta");
    Path out = tmp.resolve("srcnn");
    assertOneSentence(run("build", "checkpoint", "--meta", meta.toString(), "--out", out.toString()),
        "so this is a pre-upsampling network and the graph cannot show its scale; pass --scale S");
    assertFalse(Files.exists(out), "nothing written");
  }
}
