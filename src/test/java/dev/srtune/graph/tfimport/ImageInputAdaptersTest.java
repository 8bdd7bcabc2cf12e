package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.testing.TfGraphFiles;
import dev.srtune.tune.FineTuneResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * The input adapters beyond Y and residual: a BGR network on [0,255] with EDSR's mean shift, and networks with a
 * second input fed the bicubic upscaling of the LR (found and assigned by the importer: frozen, and a function-based
 * SavedModel). Each imported model is compared with the original graph run here on inputs prepared on the host (BGR
 * order, ×255, mean in double; bicubic upscaling in plain Java, MATLAB's kernel).
 */
class ImageInputAdaptersTest {
  @TempDir Path tmp;

  private static Operand<TFloat32> convX2(Ops tf, Operand<TFloat32> x, long seed) {
    float[] filter = java.util.Arrays.copyOf(TfGraphFiles.Weights.random(4, seed).w2(), 3 * 3 * 3 * 12);
    Operand<TFloat32> w = tf.constant(Shape.of(3, 3, 3, 12), DataBuffers.of(filter));
    return tf.nn.depthToSpace(tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME"), 2L);
  }

  @Test
  void bgrNetworkOn255WithTheDiv2kMeanKeepsTheRgbContract() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("edsr_like.pb"), tf -> tf.withName("out").identity(
        tf.math.mul(convX2(tf, TfGraphFiles.input(tf, "bgr"), 5), tf.constant(0.02f))));
    float[] mean = {0.4488f * 255, 0.4371f * 255, 0.4040f * 255};
    Path model = tmp.resolve("model");
    FrozenGraphImporter.build(pb, new GraphImport.Options(null, null, 0, null,
        new NetworkAdapters(NetworkAdapters.Channels.BGR, 255f, mean, false)), model);
    RgbImage lr = TfGraphFiles.noise(7, 6, 4);
    int h = lr.height(), w = lr.width();
    float[] in = new float[h * w * 3];
    for (int i = 0; i < h * w; i++) {
      for (int c = 0; c < 3; c++) { // network channel c is BGR's: R,G,B index 2 - c
        in[i * 3 + c] = (float) (lr.data()[i * 3 + 2 - c] * 255.0 - mean[2 - c]);
      }
    }
    float[] out;
    try (TFloat32 t = tensor(in, h, w)) {
      out = runOriginal(pb, Map.of("bgr", t), "out");
    }
    float[] expected = new float[out.length];
    for (int i = 0; i < out.length / 3; i++) {
      for (int c = 0; c < 3; c++) {
        expected[i * 3 + c] = (float) ((out[i * 3 + 2 - c] + mean[c]) / 255.0);
      }
    }
    double err = ImportedModels.maxAbsDifference(expected, ImportedModels.superResolve(model, lr));
    System.out.println("BGR x255 mean-shifted adapters: max abs error vs host pipeline " + err);
    assertTrue(err <= 1e-5, "max abs error " + err);
    try (SrModel m = SrModel.load(model)) {
      assertEquals("bgr", m.metadata().get("network_channels"));
      assertTrue(String.valueOf(m.metadata().get("mean_subtracted")).startsWith("[114.44"),
          String.valueOf(m.metadata().get("mean_subtracted")));
    }
  }

  /**
   * The HR-sized input is declared first, so the importer's first guess is wrong and the measurement must swap the
   * roles; nothing is passed but the file.
   */
  @Test
  void aSecondImageInputIsFoundAssignedAndFedTheBicubicUpscaling() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("bicubic_input.pb"), tf -> {
      Placeholder<TFloat32> hr = TfGraphFiles.input(tf, "upscaled");
      Placeholder<TFloat32> lr = TfGraphFiles.input(tf, "small");
      tf.withName("sr").identity(tf.math.add(convX2(tf, lr, 6), hr));
    });
    Path model = tmp.resolve("model");
    GraphImport.Imported imp = FrozenGraphImporter.build(pb, GraphImport.Options.found(), model);
    assertEquals("small", imp.input());
    assertEquals("upscaled", imp.bicubicInput());
    assertEquals(2, imp.scale());
    assertTrue(imp.chosen().toString().contains("--bicubic-input upscaled"), imp.chosen().toString());
    try (SrModel m = SrModel.load(model)) {
      assertEquals("upscaled", m.metadata().get("bicubic_input"));
    }
    RgbImage lr = TfGraphFiles.noise(8, 7, 6);
    double err = ImportedModels.maxAbsDifference(expectedWithBicubic(pb, "small", "upscaled", "sr", lr),
        ImportedModels.superResolve(model, lr));
    System.out.println("bicubic second input (frozen): max abs error vs host pipeline " + err);
    assertTrue(err <= 1e-5, "max abs error " + err);
    FineTuneResult r = ImportedModels.fineTune(model, TfGraphFiles.noise(12, 12, 7), 12, 0.05);
    System.out.printf("bicubic second input (frozen): LR-PSNR %.3f -> %.3f dB%n", r.startRecord().lrPsnr(),
        r.finalRecord().lrPsnr());
    assertTrue(r.finalRecord().lrPsnr() > r.startRecord().lrPsnr() + 0.1);
  }

  @Test
  void aSavedModelWithTwoImageInputsIsImportedTheSameWay() throws Exception {
    Map<String, Shape> inputs = new LinkedHashMap<>();
    inputs.put("hr_bicubic", Shape.of(1, -1, -1, 3));
    inputs.put("lr", Shape.of(1, -1, -1, 3));
    float[] w = TfGraphFiles.Weights.random(4, 8).w2();
    try (TFloat32 kernel = TFloat32.tensorOf(Shape.of(3, 3, 3, 12), DataBuffers.of(java.util.Arrays.copyOf(w, 324)))) {
      Path sm = TfGraphFiles.writeFunctionSavedModel(tmp.resolve("two_inputs"), inputs, Map.of("kernel", kernel),
          (tf, in, v) -> Map.of("sr", tf.math.add(tf.nn.depthToSpace(tf.nn.conv2d(in.get("lr"), v.apply("kernel"),
              List.of(1L, 1L, 1L, 1L), "SAME"), 2L), in.get("hr_bicubic"))));
      Path model = tmp.resolve("model");
      GraphImport.Imported imp = SavedModelImporter.build(sm, null, GraphImport.Options.found(), model);
      assertEquals("serving_default_lr", imp.input());
      assertEquals("serving_default_hr_bicubic", imp.bicubicInput());
      RgbImage lr = TfGraphFiles.noise(6, 9, 3);
      float[] expected;
      try (org.tensorflow.SavedModelBundle b = org.tensorflow.SavedModelBundle.load(sm.toString(), "serve");
          TFloat32 a = TfGraphFiles.tensor(lr); TFloat32 up = bicubicTensor(lr, 2);
          org.tensorflow.Result r = b.function("serving_default").call(Map.of("lr", a, "hr_bicubic", up))) {
        expected = floats((TFloat32) r.get("sr").orElseThrow());
      }
      double err = ImportedModels.maxAbsDifference(expected, ImportedModels.superResolve(model, lr));
      System.out.println("bicubic second input (SavedModel): max abs error vs host pipeline " + err);
      assertTrue(err <= 1e-5, "max abs error " + err);
    }
  }

  @Test
  void aBicubicInputTheOutputDoesNotUseIsRefused() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("one.pb"), tf -> {
      TfGraphFiles.input(tf, "other");
      tf.withName("sr").identity(convX2(tf, TfGraphFiles.input(tf, "small"), 1));
    });
    GraphImportException e = assertThrows(GraphImportException.class, () -> FrozenGraphImporter.build(pb,
        new GraphImport.Options(null, null, 0, null, NetworkAdapters.found(), "other"), tmp.resolve("never")));
    assertTrue(e.getMessage().contains("does not depend on --bicubic-input 'other'"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("never")));
  }

  /** The original graph fed {@code lr} and its bicubic upscaling computed on the host. */
  private static float[] expectedWithBicubic(Path pb, String lrName, String hrName, String out, RgbImage lr)
      throws Exception {
    try (TFloat32 a = TfGraphFiles.tensor(lr); TFloat32 up = bicubicTensor(lr, 2)) {
      return runOriginal(pb, Map.of(lrName, a, hrName, up), out);
    }
  }

  private static TFloat32 bicubicTensor(RgbImage lr, int s) {
    int h = lr.height(), w = lr.width();
    float[] d = new float[h * s * w * s * 3];
    for (int c = 0; c < 3; c++) {
      double[][] plane = new double[h][w];
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          plane[i][j] = lr.get(i, j, c);
        }
      }
      double[][] up = NetworkAdaptersImportTest.bicubicUp(plane, s);
      for (int i = 0; i < h * s; i++) {
        for (int j = 0; j < w * s; j++) {
          d[(i * w * s + j) * 3 + c] = (float) up[i][j];
        }
      }
    }
    return tensor(d, h * s, w * s);
  }

  private static TFloat32 tensor(float[] d, int h, int w) {
    return TFloat32.tensorOf(Shape.of(1, h, w, 3), DataBuffers.of(d, true, false));
  }

  private static float[] runOriginal(Path pb, Map<String, TFloat32> feeds, String out) throws Exception {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(pb)));
      Session.Runner run = s.runner();
      feeds.forEach(run::feed);
      try (var r = run.fetch(out).run()) {
        return floats((TFloat32) r.get(0));
      }
    }
  }

  private static float[] floats(TFloat32 t) {
    float[] d = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(d, false, false));
    return d;
  }
}
