package dev.srtune.graph.enhancenet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.graph.savedmodel.SrSignature;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Arrays2;
import dev.srtune.testing.Shared;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

/** The rebuilt graph against an independent implementation with the same checkpoint weights. */
@Tag("integration")
class EnhanceNetReferenceTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "x{0} on {1}")
  @CsvSource({"4,eagle56", "4,eagle40x52", "2,eagle56", "2,eagle40x52", "3,eagle56", "3,eagle40x52"})
  void savedModelReproducesReference(int scale, String input) throws Exception {
    Path model = tmp.resolve("enet-x" + scale);
    EnhanceNetImporter.build(Shared.enhanceNetCheckpoint(), scale, model);
    RgbImage in = Shared.referenceImage("enhancenet/in_" + input + ".npy");
    RgbImage expected = Shared.referenceImage("enhancenet/out_x" + scale + "_" + input + ".npy");
    // Reload in a fresh bundle: what a user of the SavedModel gets.
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), SrSignature.TAG);
        TFloat32 x = in.toTensor();
        TFloat32 y = (TFloat32) b.session().runner().feed(SrSignature.INPUT, x).fetch(SrSignature.OUTPUT).run().get(0)) {
      RgbImage out = RgbImage.fromTensor(y);
      assertEquals(expected.height(), out.height());
      assertEquals(expected.width(), out.width());
      double err = Arrays2.maxAbsDiff(expected.data(), out.data());
      System.out.printf("EnhanceNet x%d %s: max abs error %.3g%n", scale, input, err);
      assertTrue(err <= 1e-4, "max abs error " + err);
    }
  }

  /** Crop training feeds a batch of windows through the input declared [1,h,w,3]: each must come out as alone. */
  @org.junit.jupiter.api.Test
  void batchOfWindowsEqualsEachWindowAlone() throws Exception {
    Path model = tmp.resolve("enet-x2");
    EnhanceNetImporter.build(Shared.enhanceNetCheckpoint(), 2, model);
    RgbImage in = Shared.referenceImage("enhancenet/in_eagle56.npy");
    RgbImage[] windows = {in.crop(0, 0, 20, 24), in.crop(30, 10, 20, 24), in.crop(7, 31, 20, 24)};
    float[] all = new float[3 * 20 * 24 * 3];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(windows[i].data(), 0, all, i * 20 * 24 * 3, 20 * 24 * 3);
    }
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), SrSignature.TAG);
        TFloat32 x = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(3, 20, 24, 3),
            org.tensorflow.ndarray.buffer.DataBuffers.of(all, true, false));
        TFloat32 y = (TFloat32) b.session().runner().feed(SrSignature.INPUT, x).fetch(SrSignature.OUTPUT).run().get(0)) {
      assertEquals(org.tensorflow.ndarray.Shape.of(3, 40, 48, 3), y.shape());
      for (int i = 0; i < 3; i++) {
        try (TFloat32 one = windows[i].toTensor();
            TFloat32 alone = (TFloat32) b.session().runner().feed(SrSignature.INPUT, one).fetch(SrSignature.OUTPUT)
                .run().get(0)) {
          double err = 0;
          for (int r = 0; r < 40; r++) {
            for (int c = 0; c < 48; c++) {
              for (int ch = 0; ch < 3; ch++) {
                err = Math.max(err, Math.abs(alone.getFloat(0, r, c, ch) - y.getFloat(i, r, c, ch)));
              }
            }
          }
          assertTrue(err <= 1e-5, "window " + i + ": max abs difference " + err);
        }
      }
    }
  }
}
