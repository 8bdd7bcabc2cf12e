package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.srtune.model.PreUpsamplingScale;
import dev.srtune.testing.TfGraphFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * A VDSR-shaped pre-upsampling network as a frozen graph (SAME convolutions, a residual over its input, RGB): built
 * with {@code --scale 2} it gets srtune's bicubic enlargement in front, and {@code sr} equals the original graph fed
 * the bicubic enlargement computed on the host (MATLAB's kernel, double); the same SavedModel set to ×3
 * ({@link PreUpsamplingScale}) equals the original fed the ×3 enlargement. The same network as a function-based
 * SavedModel is found the same way by {@code build savedmodel}.
 */
class PreUpsamplingGraphTest {
  @TempDir Path tmp;

  @Test
  void aSameSizeNetworkGetsTheEnlargementAndRunsAtAnyScale() throws Exception {
    Random r = new Random(11);
    float[] k = new float[3 * 3 * 3 * 3];
    for (int i = 0; i < k.length; i++) {
      k[i] = (float) (0.05 * r.nextGaussian());
    }
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("vdsr-like.pb"), tf -> {
      Operand<TFloat32> x = TfGraphFiles.input(tf, "images");
      Operand<TFloat32> res = tf.nn.conv2d(x, tf.constant(Shape.of(3, 3, 3, 3), DataBuffers.of(k)),
          List.of(1L, 1L, 1L, 1L), "SAME");
      tf.withName("out").math.add(x, res);
    });
    Path model = tmp.resolve("model");
    GraphImport.Imported imp = FrozenGraphImporter.build(pb, new GraphImport.Options(null, null, 2, null,
        NetworkAdapters.found(), null, true), model);
    assertEquals(2, imp.scale());
    JsonObject meta = RealTfModelsTest.metadata(model);
    assertEquals(0, meta.getAsJsonObject("pre_upsampling").get("margin").getAsInt());

    int h = 9;
    int w = 7;
    float[] lr = new float[h * w * 3];
    for (int i = 0; i < lr.length; i++) {
      lr[i] = r.nextFloat();
    }
    for (int s : new int[] {2, 3}) {
      Path at = PreUpsamplingScale.atScale(model, s);
      float[] got;
      try (SavedModelBundle b = SavedModelBundle.load(at.toString(), "serve");
          TFloat32 x = TFloat32.tensorOf(Shape.of(1, h, w, 3), DataBuffers.of(lr, true, false));
          Result res = b.session().runner().feed("lr", x).fetch("sr").run()) {
        got = RealTfModelsTest.floats((TFloat32) res.get(0));
        assertArrayEquals(new long[] {1, s * h, s * w, 3}, res.get(0).shape().asArray());
      } finally {
        PreUpsamplingScale.delete(at, model);
      }
      float[] expected;
      try (Graph g = new Graph(); Session sess = new Session(g)) {
        g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(pb)));
        expected = RealTfModelsTest.runOriginal(sess, "images", bicubic(lr, h, w, s), Shape.of(1, s * h, s * w, 3),
            null, null, null, java.util.Map.of(), "out");
      }
      double max = 0;
      for (int i = 0; i < got.length; i++) {
        max = Math.max(max, Math.abs(expected[i] - got[i]));
      }
      System.out.printf("pre-upsampling frozen graph built for x2, at x%d: max abs error %.3g%n", s, max);
      assertTrue(max <= RealTfModelsTest.FIDELITY, "x" + s + ": max abs error " + max);
    }
    assertTrue(Files.readString(model.resolve("srtune.json")).contains("\"scale\": 2"), "the model is left at x2");
  }

  /** The same shape as a Keras-style function SavedModel (resource variables behind a call): found the same way. */
  @Test
  void aSavedModelPreUpsamplingNetworkIsFoundToo() throws Exception {
    float[] k = new float[3 * 3 * 3 * 3];
    Random r = new Random(12);
    for (int i = 0; i < k.length; i++) {
      k[i] = (float) (0.05 * r.nextGaussian());
    }
    try (TFloat32 kernel = TFloat32.tensorOf(Shape.of(3, 3, 3, 3), DataBuffers.of(k))) {
      Path sm = TfGraphFiles.writeFunctionSavedModel(tmp.resolve("vdsr-like"), java.util.Map.of("x",
          Shape.of(1, -1, -1, 3)), java.util.Map.of("kernel", kernel), (tf, in, v) -> java.util.Map.of("y",
          tf.math.add(in.get("x"), tf.nn.conv2d(in.get("x"), v.apply("kernel"), List.of(1L, 1L, 1L, 1L), "SAME"))));
      Path model = tmp.resolve("sm-model");
      GraphImport.Imported imp = SavedModelImporter.build(sm, null, new GraphImport.Options(null, null, 3, null,
          NetworkAdapters.found(), null, true), model);
      assertEquals(3, imp.scale());
      assertTrue(RealTfModelsTest.metadata(model).has("pre_upsampling"));
      int h = 6;
      int w = 8;
      float[] lr = new float[h * w * 3];
      for (int i = 0; i < lr.length; i++) {
        lr[i] = r.nextFloat();
      }
      float[] got;
      float[] expected;
      try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve");
          TFloat32 x = TFloat32.tensorOf(Shape.of(1, h, w, 3), DataBuffers.of(lr, true, false));
          Result res = b.session().runner().feed("lr", x).fetch("sr").run()) {
        got = RealTfModelsTest.floats((TFloat32) res.get(0));
      }
      try (SavedModelBundle b = SavedModelBundle.load(sm.toString(), "serve");
          TFloat32 up = TFloat32.tensorOf(Shape.of(1, 3 * h, 3 * w, 3), DataBuffers.of(bicubic(lr, h, w, 3), true,
              false));
          Result res = b.function("serving_default").call(java.util.Map.of("x", up))) {
        expected = RealTfModelsTest.floats((TFloat32) res.get("y").orElseThrow());
      }
      double max = 0;
      for (int i = 0; i < got.length; i++) {
        max = Math.max(max, Math.abs(expected[i] - got[i]));
      }
      System.out.printf("pre-upsampling SavedModel at x3: max abs error %.3g%n", max);
      assertTrue(max <= RealTfModelsTest.FIDELITY, "max abs error " + max);
    }
  }

  /** MATLAB's bicubic ×s of an RGB [h,w,3] image, per channel in double. */
  private static float[] bicubic(float[] rgb, int h, int w, int s) {
    float[] out = new float[h * s * w * s * 3];
    for (int c = 0; c < 3; c++) {
      double[][] plane = new double[h][w];
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          plane[i][j] = rgb[(i * w + j) * 3 + c];
        }
      }
      double[][] up = NetworkAdaptersImportTest.bicubicUp(plane, s);
      for (int i = 0; i < h * s; i++) {
        for (int j = 0; j < w * s; j++) {
          out[(i * w * s + j) * 3 + c] = (float) up[i][j];
        }
      }
    }
    return out;
  }
}
