package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.srtune.testing.TfGraphFiles;
import dev.srtune.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A generator whose tanh spans [−1, 1] (trained on targets scaled 2x − 1): ×2 nearest, a 1×1 convolution, then
 * {@code tanh(2y − 1)}. Imported with no option, its output range is found to be [−1, 1] and mapped to [0, 1] by
 * (out + 1) / 2: {@code sr} is that of the network's output, computed here on the host.
 */
class TanhOutputTest {
  @TempDir Path tmp;

  @Test
  void aTanhSpanningMinusOneToOneIsMappedToZeroOne() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("tanh.pb"), tf -> {
      Operand<TFloat32> x = TfGraphFiles.input(tf, "images");
      float[] eye = {1, 0, 0, 0, 1, 0, 0, 0, 1};
      Operand<TFloat32> y = tf.nn.conv2d(TinyModels.nearestUp(tf, x, 2), tf.constant(Shape.of(1, 1, 3, 3),
          DataBuffers.of(eye)), List.of(1L, 1L, 1L, 1L), "SAME");
      tf.withName("out").math.tanh(tf.math.sub(tf.math.mul(y, tf.constant(2f)), tf.constant(1f)));
    });
    Path model = tmp.resolve("model");
    GraphImport.Imported imp = FrozenGraphImporter.build(pb, GraphImport.Options.found(), model);
    assertEquals(2, imp.scale());
    JsonObject meta = RealTfModelsTest.metadata(model);
    assertEquals(-1f, meta.getAsJsonArray("output_range").get(0).getAsFloat(), meta.toString());
    assertEquals(1f, meta.get("value_range").getAsFloat(), meta.toString());
    assertTrue(imp.chosen().toString().contains("output range [-1,1], mapped to [0,1]"), imp.chosen().toString());

    int h = 7;
    int w = 5;
    float[] in = new float[h * w * 3];
    Random r = new Random(3);
    for (int i = 0; i < in.length; i++) {
      in[i] = r.nextFloat();
    }
    float[] sr;
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve");
        TFloat32 x = TFloat32.tensorOf(Shape.of(1, h, w, 3), DataBuffers.of(in, true, false));
        Result res = b.session().runner().feed("lr", x).fetch("sr").run()) {
      sr = RealTfModelsTest.floats((TFloat32) res.get(0));
    }
    double max = 0;
    for (int i = 0; i < 2 * h; i++) {
      for (int j = 0; j < 2 * w; j++) {
        for (int c = 0; c < 3; c++) {
          double v = in[((i / 2) * w + j / 2) * 3 + c];
          double expected = (Math.tanh(2 * v - 1) + 1) / 2;
          max = Math.max(max, Math.abs(expected - sr[(i * 2 * w + j) * 3 + c]));
        }
      }
    }
    assertTrue(max <= RealTfModelsTest.FIDELITY, "max abs error " + max);
  }
}
