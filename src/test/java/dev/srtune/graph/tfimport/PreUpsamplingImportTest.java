package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * SRCNN as tegg89/SRCNN-Tensorflow published it ({@code ../shared/models/tf-real/srcnn/}: a TF1 meta graph with a
 * V1 single-file checkpoint restored by {@code RestoreSlice}, a placeholder fixed at 33×33, VALID convolutions 12
 * pixels short, the bicubic-enlarged Y in): imported with {@code --scale 3} and nothing else, it is a pre-upsampling
 * network, and the imported network computes what the original meta graph computes in its own session, restored by
 * its own saver, on the input its authors' code prepares — computed here on the host in double: the Y of the LR,
 * enlarged ×3 with MATLAB's bicubic, edge-replicated by the margin.
 */
@Tag("integration")
class PreUpsamplingImportTest {
  @TempDir static Path tmp;

  static Path srcnnMeta() {
    return Shared.path("models/tf-real/srcnn/SRCNN.model-2550000.meta");
  }

  @Test
  void srcnnImportsAtX3AndComputesWhatTheOriginalComputes() throws Exception {
    Path meta = srcnnMeta();
    Path ckpt = MetaGraphImporter.defaultCheckpoint(meta);
    Path model = tmp.resolve("srcnn-x3");
    GraphImport.Imported imp = MetaGraphImporter.build(meta, ckpt, new GraphImport.Options(null, null, 3, null,
        NetworkAdapters.found(), null, true), model);
    assertEquals(3, imp.scale());
    JsonObject m = RealTfModelsTest.metadata(model);
    assertEquals(12, m.getAsJsonObject("pre_upsampling").get("margin").getAsInt());
    assertTrue(m.get("network_channels").getAsString().startsWith("y"), m.toString());
    assertTrue(m.getAsJsonObject("inference_settings").get("images").getAsString().contains("33x33"), m.toString());

    RgbImage lr = RealTfModelsTest.crop();
    int s = 3;
    float[] got;
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve"); TFloat32 x = lr.toTensor();
        Result r = b.session().runner().feed("lr", x).fetch(InferenceSubgraph.PREFIX + imp.output()).fetch("sr")
            .run()) {
      got = RealTfModelsTest.floats((TFloat32) r.get(0));
      assertArrayEquals(new long[] {1, s * lr.height(), s * lr.width(), 3}, r.get(1).shape().asArray());
    }
    float[] in = enlargedPaddedY(lr, s, 6);
    int h = s * lr.height() + 12;
    int w = s * lr.width() + 12;
    float[] expected;
    MetaGraphDef mg = MetaGraphDef.parseFrom(Files.readAllBytes(meta));
    try (Graph g = new Graph()) {
      g.importGraphDef(mg.getGraphDef());
      try (Session sess = new Session(g); TString prefix = TString.scalarOf(ckpt.toAbsolutePath().toString())) {
        sess.runner().feed(mg.getSaverDef().getFilenameTensorName(), prefix)
            .addTarget(mg.getSaverDef().getRestoreOpName()).run();
        expected = RealTfModelsTest.runOriginal(sess, imp.input(), in, Shape.of(1, h, w, 1), null, null, null,
            Map.of(), imp.output());
      }
    }
    assertEquals(expected.length, got.length, "output sizes differ");
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - got[i]));
    }
    System.out.printf("SRCNN.model-2550000 (x3): imported vs the original meta graph, max abs error %.3g%n", max);
    assertTrue(max <= RealTfModelsTest.FIDELITY, "max abs error " + max);
  }

  @Test
  void withoutAScaleAPreUpsamplingNetworkIsRefusedInOneSentence() {
    Path meta = srcnnMeta();
    Path out = tmp.resolve("never");
    GraphImportException e = assertThrows(GraphImportException.class, () -> MetaGraphImporter.build(meta,
        MetaGraphImporter.defaultCheckpoint(meta), GraphImport.Options.found(), out));
    assertTrue(e.getMessage().contains("pre-upsampling network") && e.getMessage().endsWith("should have)."),
        e.getMessage());
    assertTrue(Files.notExists(out));
  }

  /** Full-range BT.601 Y of {@code lr} in double, MATLAB-bicubic ×s, edge-replicated by {@code pad}. */
  static float[] enlargedPaddedY(RgbImage lr, int s, int pad) {
    double[][] y = new double[lr.height()][lr.width()];
    for (int i = 0; i < lr.height(); i++) {
      for (int j = 0; j < lr.width(); j++) {
        y[i][j] = 0.299 * lr.get(i, j, 0) + 0.587 * lr.get(i, j, 1) + 0.114 * lr.get(i, j, 2);
      }
    }
    double[][] up = NetworkAdaptersImportTest.bicubicUp(y, s);
    int h = up.length;
    int w = up[0].length;
    float[] out = new float[(h + 2 * pad) * (w + 2 * pad)];
    for (int i = 0; i < h + 2 * pad; i++) {
      for (int j = 0; j < w + 2 * pad; j++) {
        int si = Math.min(Math.max(i - pad, 0), h - 1);
        int sj = Math.min(Math.max(j - pad, 0), w - 1);
        out[i * (w + 2 * pad) + j] = (float) up[si][sj];
      }
    }
    return out;
  }
}
