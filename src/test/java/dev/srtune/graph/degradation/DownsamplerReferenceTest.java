package dev.srtune.graph.degradation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import dev.srtune.testing.Arrays2;
import dev.srtune.testing.Shared;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The downsamplers (and the bicubic upsampler) against the independent float64 references in
 * {@code ../shared/reference} (resize/, resize/replicate/, pil/), borders and odd sizes included.
 */
@Tag("integration")
class DownsamplerReferenceTest {
  private static final double BICUBIC_TOLERANCE = 1e-5;
  private static final double LANCZOS_TOLERANCE = 1e-4;

  private static RgbImage input(String name) {
    return Shared.referenceImage("inputs/" + (name.equals("butterfly") ? "butterfly_hr" : "random_37x53") + ".npy");
  }

  @ParameterizedTest(name = "{0} {1} x{2}")
  @CsvSource({
      "bicubic, butterfly, 2, resize/replicate/butterfly_down_x2.npy",
      "bicubic, butterfly, 3, resize/replicate/butterfly_down_x3.npy",
      "bicubic, butterfly, 4, resize/replicate/butterfly_down_x4.npy",
      "bicubic, random, 2, resize/replicate/random_down_x2.npy",
      "bicubic, random, 3, resize/replicate/random_down_x3.npy",
      "bicubic-sym, butterfly, 2, resize/butterfly_down_x2.npy",
      "bicubic-sym, butterfly, 3, resize/butterfly_down_x3.npy",
      "bicubic-sym, butterfly, 4, resize/butterfly_down_x4.npy",
      "bicubic-sym, random, 2, resize/random_down_x2.npy",
      "bicubic-sym, random, 3, resize/random_down_x3.npy",
      "lanczos3, butterfly, 2, pil/butterfly_pil_lanczos_x2_float.npy",
      "lanczos3, butterfly, 4, pil/butterfly_pil_lanczos_x4_float.npy"})
  void downsamplerMatchesReference(String name, String image, int scale, String reference) {
    // The references modcrop top-left (butterfly 255x255 at x3, random 36x52 at x2 and 36x51 at x3).
    RgbImage hr = input(image).modcrop(scale);
    RgbImage expected = Shared.referenceImage(reference);
    RgbImage out = OpRunner.run(hr, Degradations.downsampler(name, scale));
    assertEquals(expected.height(), out.height(), "height");
    assertEquals(expected.width(), out.width(), "width");
    double err = Arrays2.maxAbsDiff(expected.data(), out.data());
    double borderErr = borderMaxAbsDiff(expected, out, 3);
    System.out.printf("reference %-11s %-9s x%d (%s): max abs error %.3g (outer 3 px: %.3g)%n", name, image, scale,
        reference, err, borderErr);
    assertTrue(err <= (name.equals("lanczos3") ? LANCZOS_TOLERANCE : BICUBIC_TOLERANCE), "max abs error " + err);
  }

  @ParameterizedTest(name = "{0} up x{1}")
  @CsvSource({
      "SYMMETRIC, 2, resize/butterfly_down_x4.npy, resize/butterfly_down_x4_up_x2.npy",
      "SYMMETRIC, 4, resize/butterfly_down_x4.npy, resize/butterfly_down_x4_up_x4.npy",
      "REPLICATE, 2, resize/replicate/butterfly_down_x4.npy, resize/replicate/butterfly_down_x4_up_x2.npy",
      "REPLICATE, 4, resize/replicate/butterfly_down_x4.npy, resize/replicate/butterfly_down_x4_up_x4.npy"})
  void upsamplerMatchesReference(Boundary boundary, int scale, String lrFile, String reference) {
    RgbImage lr = Shared.referenceImage(lrFile);
    RgbImage expected = Shared.referenceImage(reference);
    RgbImage out = OpRunner.run(lr, new BicubicUpsampler(scale, boundary)::apply);
    assertEquals(expected.height(), out.height(), "height");
    assertEquals(expected.width(), out.width(), "width");
    double err = Arrays2.maxAbsDiff(expected.data(), out.data());
    System.out.printf("reference bicubic-up %-9s x%d (%s): max abs error %.3g (outer 3 px: %.3g)%n", boundary, scale,
        reference, err, borderMaxAbsDiff(expected, out, 3));
    // The reference enlarged the float64 LR; ours starts from the stored float32 LR (INDEX: <= 6.7e-8 apart).
    assertTrue(err <= BICUBIC_TOLERANCE, "max abs error " + err);
  }

  /** Max abs difference over the outer {@code band} rows and columns only: where the border rules act. */
  static double borderMaxAbsDiff(RgbImage a, RgbImage b, int band) {
    double m = 0;
    for (int y = 0; y < a.height(); y++) {
      for (int x = 0; x < a.width(); x++) {
        if (y >= band && y < a.height() - band && x >= band && x < a.width() - band) {
          continue;
        }
        for (int c = 0; c < 3; c++) {
          m = Math.max(m, Math.abs((double) a.get(y, x, c) - b.get(y, x, c)));
        }
      }
    }
    return m;
  }
}
