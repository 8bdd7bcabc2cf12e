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
}
