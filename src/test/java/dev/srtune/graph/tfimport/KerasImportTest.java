package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.PythonH5;
import dev.srtune.testing.Shared;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

/**
 * Fast-SRGAN's generator ({@code ../shared/models/tf-real/keras/fast-srgan/generator.h5}, a Keras 2 full-model
 * file with TensorFlowOpLayers, a fixed 32×32 input and a tanh output that returns [0,1]) imports with no option,
 * and the imported
 * network computes what the same layers compute in numpy over the .h5 read with h5py
 * ({@code scripts/checks/keras_h5_forward.py}, an independent second path), on a crop of Set5 bird larger than the
 * file's fixed input.
 */
@Tag("integration")
class KerasImportTest {
  @TempDir static Path tmp;

  @Test
  void fastSrganImportsWithNoOptionAndComputesWhatItsLayersCompute() throws Exception {
    Path h5 = Shared.path("models/tf-real/keras/fast-srgan/generator.h5");
    Path script = Path.of("scripts/checks/keras_h5_forward.py").toAbsolutePath();
    PythonH5.python();
    Path model = tmp.resolve("fast-srgan");
    GraphImport.Imported imp = KerasImporter.build(h5, GraphImport.Options.found(), model);
    assertEquals(4, imp.scale());
    JsonObject meta = RealTfModelsTest.metadata(model);
    // Its tanh returns the image on [0,1] (measured; mapping it as [-1,1] would wash the image out).
    assertTrue(meta.get("adapters_chosen_from_graph").toString().contains("output range [0,1], taken as it is"),
        meta.toString());
    assertEquals("rgb", meta.get("network_channels").getAsString());

    RgbImage lr = RealTfModelsTest.crop(); // 36x30: not the file's 32x32
    float[] got;
    float[] sr;
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve"); TFloat32 x = lr.toTensor();
        Result r = b.session().runner().feed("lr", x).fetch(InferenceSubgraph.PREFIX + imp.output()).fetch("sr")
            .run()) {
      got = RealTfModelsTest.floats((TFloat32) r.get(0));
      sr = RealTfModelsTest.floats((TFloat32) r.get(1));
      assertArrayEquals(new long[] {1, 4L * lr.height(), 4L * lr.width(), 3}, r.get(1).shape().asArray());
    }
    Path in = tmp.resolve("in.npy");
    Path out = tmp.resolve("out.npy");
    Npy.write(in, new int[] {1, lr.height(), lr.width(), 3}, lr.data());
    PythonH5.script(script, h5.toString(), in.toString(), out.toString());
    Npy.Array expected = Npy.read(out);
    assertEquals(expected.data().length, got.length, "output sizes differ");
    double max = 0;
    double mapped = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(expected.data()[i] - got[i]));
      mapped = Math.max(mapped, Math.abs(expected.data()[i] - sr[i]));
    }
    System.out.printf("generator.h5: imported vs numpy over the .h5, max abs error %.3g (sr: %.3g)%n", max, mapped);
    assertTrue(max <= RealTfModelsTest.FIDELITY, "max abs error " + max);
    assertTrue(mapped <= RealTfModelsTest.FIDELITY, "sr is not the network's output: " + mapped);
  }
}
