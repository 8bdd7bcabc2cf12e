package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.testing.TfGraphFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
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
 * A Y-channel network on [0,255] that outputs a residual (how OpenCV's dnn_superres runs FSRCNN-style models),
 * imported with {@code --channels y --range 255 --residual}: the SavedModel still maps RGB [0,1] to RGB [0,1], and
 * equals the pipeline computed here on the host — Y/Cb/Cr in double, the original frozen graph run on Y·255, the
 * residual added to a plain-Java bicubic upscaling of Y, Cb and Cr upscaled the same way, back to RGB.
 */
class NetworkAdaptersImportTest {
  @TempDir static Path tmp;
  static Path frozen;
  static final NetworkAdapters Y_255_RESIDUAL = new NetworkAdapters(NetworkAdapters.Channels.Y, 255f, true);

  @BeforeAll
  static void writeYNetwork() throws Exception {
    float[] w = TfGraphFiles.Weights.random(4, 9).w1(); // 9·3·4 values; the first 36 make a 3×3 1→4 filter
    frozen = TfGraphFiles.writeGraph(tmp.resolve("y_residual_x2.pb"), tf -> {
      Placeholder<TFloat32> y = tf.withName("y_in").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(1, -1, -1, 1)));
      Operand<TFloat32> f = tf.constant(Shape.of(3, 3, 1, 4), DataBuffers.of(java.util.Arrays.copyOf(w, 36)));
      Operand<TFloat32> h = tf.nn.biasAdd(tf.nn.conv2d(y, f, List.of(1L, 1L, 1L, 1L), "SAME"),
          tf.constant(new float[] {1f, -2f, 0.5f, 3f}));
      tf.withName("residual").identity(tf.nn.depthToSpace(h, 2L));
    });
  }

  @Test
  void aOneChannelInputFedRgbIsRefusedWithTheOptionToPass() {
    GraphImportException e = assertThrows(GraphImportException.class, () -> FrozenGraphImporter.build(frozen,
        new GraphImport.Options(null, null, 0, null, NetworkAdapters.none()), tmp.resolve("rgb")));
    assertTrue(e.getMessage().contains("pass --channels y"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("rgb")));
  }

  /** Left to choose, the importer takes a one-channel input for a Y network, says so, and records it. */
  @Test
  void aOneChannelInputIsTakenForTheYChannel() throws Exception {
    Path auto = tmp.resolve("auto");
    GraphImport.Imported imp = FrozenGraphImporter.build(frozen, GraphImport.Options.found(), auto);
    assertEquals(1, imp.chosen().size(), imp.chosen().toString());
    assertTrue(imp.chosen().get(0).startsWith("--channels y"), imp.chosen().toString());
    try (SrModel m = SrModel.load(auto)) {
      assertTrue(String.valueOf(m.metadata().get("network_channels")).startsWith("y"));
      assertTrue(String.valueOf(m.metadata().get("adapters_chosen_from_graph")).contains("--channels y"));
    }
    Path explicit = tmp.resolve("explicit-y");
    FrozenGraphImporter.build(frozen, new GraphImport.Options(null, null, 0, null,
        new NetworkAdapters(NetworkAdapters.Channels.Y, 1f, false)), explicit);
    RgbImage lr = TfGraphFiles.noise(6, 5, 2);
    assertEquals(0.0, ImportedModels.maxAbsDifference(ImportedModels.superResolve(explicit, lr),
        ImportedModels.superResolve(auto, lr)));
  }

  @Test
  void yChannelResidualNetworkOn255KeepsTheRgbContract() throws Exception {
    Path model = tmp.resolve("y");
    GraphImport.Imported imp = FrozenGraphImporter.build(frozen,
        new GraphImport.Options(null, null, 0, null, Y_255_RESIDUAL), model);
    assertEquals(2, imp.scale());
    try (SrModel m = SrModel.load(model)) {
      assertEquals(255.0, Double.parseDouble(String.valueOf(m.metadata().get("value_range"))));
      assertEquals("true", String.valueOf(m.metadata().get("residual_over_bicubic")));
    }
    RgbImage lr = TfGraphFiles.noise(7, 9, 3);
    float[] got = ImportedModels.superResolve(model, lr);
    float[] expected = hostPipeline(lr, 2);
    double err = ImportedModels.maxAbsDifference(expected, got);
    System.out.println("Y-channel x255 residual adapters: max abs error vs host pipeline " + err);
    assertTrue(err <= 1e-5, "max abs error " + err);
  }

  /** The OpenCV-style pipeline, on the host except for the original network itself. */
  private static float[] hostPipeline(RgbImage lr, int s) throws Exception {
    int h = lr.height(), w = lr.width();
    double[][][] ycc = new double[3][h][w];
    float[] y255 = new float[h * w];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        double r = lr.get(i, j, 0), g = lr.get(i, j, 1), b = lr.get(i, j, 2);
        double y = 0.299 * r + 0.587 * g + 0.114 * b;
        ycc[0][i][j] = y;
        ycc[1][i][j] = 0.5 + 0.564 * (b - y);
        ycc[2][i][j] = 0.5 + 0.713 * (r - y);
        y255[i * w + j] = (float) (y * 255);
      }
    }
    float[] residual;
    try (Graph g = new Graph(); Session session = new Session(g);
        TFloat32 in = TFloat32.tensorOf(Shape.of(1, h, w, 1), DataBuffers.of(y255, true, false))) {
      g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(frozen)));
      try (TFloat32 out = (TFloat32) session.runner().feed("y_in", in).fetch("residual").run().get(0)) {
        residual = new float[(int) out.shape().size()];
        out.copyTo(DataBuffers.of(residual, false, false));
      }
    }
    double[][] yUp = bicubicUp(ycc[0], s), cbUp = bicubicUp(ycc[1], s), crUp = bicubicUp(ycc[2], s);
    float[] rgb = new float[h * s * w * s * 3];
    for (int i = 0; i < h * s; i++) {
      for (int j = 0; j < w * s; j++) {
        double y = residual[i * w * s + j] / 255.0 + yUp[i][j];
        double r = y + (crUp[i][j] - 0.5) / 0.713;
        double b = y + (cbUp[i][j] - 0.5) / 0.564;
        double g = (y - 0.299 * r - 0.114 * b) / 0.587;
        int k = (i * w * s + j) * 3;
        rgb[k] = (float) r;
        rgb[k + 1] = (float) g;
        rgb[k + 2] = (float) b;
      }
    }
    return rgb;
  }

  /** MATLAB-style bicubic enlargement by s: Keys a = −0.5, output o samples (o + 0.5)/s − 0.5, edges replicated. */
  static double[][] bicubicUp(double[][] x, int s) {
    return transpose(rows(transpose(rows(x, s)), s));
  }

  private static double[][] rows(double[][] x, int s) {
    int h = x.length, w = x[0].length;
    double[][] out = new double[h][w * s];
    for (int i = 0; i < h; i++) {
      for (int o = 0; o < w * s; o++) {
        double u = (o + 0.5) / s - 0.5;
        int left = (int) Math.floor(u) - 1;
        double sum = 0, norm = 0;
        for (int k = left; k < left + 4; k++) {
          double c = cubic(u - k);
          sum += c * x[i][Math.min(Math.max(k, 0), w - 1)];
          norm += c;
        }
        out[i][o] = sum / norm;
      }
    }
    return out;
  }

  private static double[][] transpose(double[][] x) {
    double[][] t = new double[x[0].length][x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[0].length; j++) {
        t[j][i] = x[i][j];
      }
    }
    return t;
  }

  private static double cubic(double x) {
    double a = Math.abs(x);
    return a <= 1 ? 1.5 * a * a * a - 2.5 * a * a + 1 : a < 2 ? -0.5 * a * a * a + 2.5 * a * a - 4 * a + 2 : 0;
  }
}
