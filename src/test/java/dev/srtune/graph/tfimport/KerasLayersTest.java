package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.Npy;
import dev.srtune.testing.PythonH5;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The Keras layer classes the real file does not use, in one small functional model written with h5py at test time
 * (random weights; {@code synthetic_keras_h5.py}): Conv2D with relu, SeparableConv2D with a depth multiplier,
 * BatchNormalization, LeakyReLU, ZeroPadding2D, a VALID Conv2D without bias, ReLU with max_value, Add, Multiply,
 * DepthwiseConv2D, Concatenate, a DepthToSpace TensorFlowOpLayer, Conv2DTranspose (stride 2, SAME), UpSampling2D
 * (bilinear and nearest), PReLU and a sigmoid Activation.
 * {@code build keras} on it computes what {@code scripts/checks/keras_h5_forward.py} computes in numpy.
 */
class KerasLayersTest {
  @TempDir Path tmp;

  @Test
  void everyLayerClassComputesWhatKerasDocumentsForIt() throws Exception {
    Path maker = Path.of(KerasLayersTest.class.getResource("synthetic_keras_h5.py").toURI());
    Path h5 = tmp.resolve("synthetic.h5");
    PythonH5.script(maker, h5.toString());
    Path model = tmp.resolve("model");
    GraphImport.Imported imp = KerasImporter.build(h5, new GraphImport.Options(null, null, 0, null,
        NetworkAdapters.none(), null, false), model);
    assertEquals(8, imp.scale()); // depth-to-space, transposed convolution and bilinear upsampling, x2 each

    int h = 13;
    int w = 11;
    float[] in = new float[h * w * 3];
    Random r = new Random(5);
    for (int i = 0; i < in.length; i++) {
      in[i] = r.nextFloat();
    }
    float[] got;
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve");
        TFloat32 x = TFloat32.tensorOf(Shape.of(1, h, w, 3), DataBuffers.of(in, true, false));
        Result res = b.session().runner().feed("lr", x).fetch("sr").run()) {
      got = RealTfModelsTest.floats((TFloat32) res.get(0));
    }
    Path inNpy = tmp.resolve("in.npy");
    Path outNpy = tmp.resolve("out.npy");
    Npy.write(inNpy, new int[] {1, h, w, 3}, in);
    PythonH5.script(Path.of("scripts/checks/keras_h5_forward.py").toAbsolutePath(), h5.toString(), inNpy.toString(),
        outNpy.toString());
    float[] expected = Npy.read(outNpy).data();
    assertEquals(expected.length, got.length, "output sizes differ");
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - got[i]));
    }
    System.out.printf("synthetic Keras model (17 layer classes): imported vs numpy, max abs error %.3g%n", max);
    assertTrue(max <= RealTfModelsTest.FIDELITY, "max abs error " + max);
    assertTrue(Files.exists(model.resolve("srtune.json")));
  }
}
