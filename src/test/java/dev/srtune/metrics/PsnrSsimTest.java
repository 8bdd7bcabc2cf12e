package dev.srtune.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Conventions checked on inputs whose metrics can be worked out by hand. */
class PsnrSsimTest {

  private static RgbImage constant(int h, int w, float r, float g, float b) {
    float[] d = new float[h * w * 3];
    for (int i = 0; i < h * w; i++) {
      d[3 * i] = r;
      d[3 * i + 1] = g;
      d[3 * i + 2] = b;
    }
    return new RgbImage(h, w, d);
  }

  private static RgbImage random(int h, int w, long seed) {
    Random rnd = new Random(seed);
    float[] d = new float[h * w * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = rnd.nextFloat();
    }
    return new RgbImage(h, w, d);
  }

  @Test
  void identicalImagesGiveInfinitePsnrAndSsimOne() {
    RgbImage a = random(20, 24, 1);
    assertEquals(Double.POSITIVE_INFINITY, Psnr.rgb(a, a));
    assertEquals(Double.POSITIVE_INFINITY, Psnr.y(a, a, 2));
    assertEquals(1.0, Ssim.y(a, a, 2), 1e-15);
  }

  @Test
  void psnrYOfOneGreyLevelIsTheLumaRangeStep() {
    // A one-level step in R, G and B moves Y by (65.481 + 128.553 + 24.966) / 255 = 219/255 on the 0..255 scale.
    RgbImage a = constant(8, 8, 0, 0, 0);
    RgbImage b = constant(8, 8, 1 / 255f, 1 / 255f, 1 / 255f);
    double expected = 10 * Math.log10(255.0 * 255.0 / Math.pow(219.0 / 255.0, 2));
    assertEquals(expected, Psnr.y(a, b, 1), 1e-9);
  }

  @Test
  void psnrYRoundsToEightBitsFirstAndRgbDoesNot() {
    RgbImage a = constant(4, 4, 0.5f, 0.5f, 0.5f);
    RgbImage b = constant(4, 4, 0.5f + 0.2f / 255, 0.5f + 0.2f / 255, 0.5f + 0.2f / 255); // same byte, 128
    assertEquals(Double.POSITIVE_INFINITY, Psnr.y(a, b, 0));
    assertEquals(10 * Math.log10(1 / Math.pow(0.2 / 255, 2)), Psnr.rgb(a, b), 1e-3);
  }

  @Test
  void shaveRemovesBorders() {
    RgbImage a = constant(10, 10, 0.2f, 0.3f, 0.4f);
    RgbImage b = a.crop(0, 0, 10, 10);
    b.set(0, 5, 1, 0.9f); // differs only in the first row
    assertEquals(Double.POSITIVE_INFINITY, Psnr.y(a, b, 1));
    assertTrue(Double.isFinite(Psnr.y(a, b, 0)));
  }

  @Test
  void ssimOfConstantImagesIsTheLuminanceTerm() {
    // No variance: SSIM = (2 μx μy + C1) / (μx² + μy² + C1).
    RgbImage a = constant(16, 16, 0.2f, 0.2f, 0.2f);
    RgbImage b = constant(16, 16, 0.6f, 0.6f, 0.6f);
    double ya = 16 + 219.0 * RgbImage.to8bit(0.2f) / 255;
    double yb = 16 + 219.0 * RgbImage.to8bit(0.6f) / 255;
    double c1 = Math.pow(0.01 * 255, 2);
    assertEquals((2 * ya * yb + c1) / (ya * ya + yb * yb + c1), Ssim.y(a, b, 0), 1e-12);
  }

  @Test
  void ssimIsSymmetricAndBelowOne() {
    RgbImage a = random(30, 33, 2);
    RgbImage b = random(30, 33, 3);
    double s = Ssim.y(a, b, 3);
    assertEquals(s, Ssim.y(b, a, 3), 1e-15);
    assertTrue(s < 0.1, "unrelated noise images: " + s);
  }

  @Test
  void badSizesAreRefusedWithTheSizes() {
    RgbImage a = random(20, 20, 4);
    RgbImage b = random(20, 21, 5);
    var e = assertThrows(IllegalArgumentException.class, () -> Psnr.y(a, b, 0));
    assertTrue(e.getMessage().contains("20x20 vs 20x21"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Psnr.y(a, a.crop(0, 0, 20, 20), 10));
    var s = assertThrows(IllegalArgumentException.class, () -> Ssim.y(a, a, 5));
    assertTrue(s.getMessage().contains("11x11"), s.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Psnr.y(a, a, -1));
  }

  @Test
  void yPlaneMatchesTheMatlabFormula() {
    RgbImage a = constant(1, 1, 10 / 255f, 200 / 255f, 30 / 255f);
    double[] y = YPlane.ofSaved8bit(a).data();
    assertEquals(16 + (65.481 * 10 + 128.553 * 200 + 24.966 * 30) / 255, y[0], 1e-12);
    assertTrue(Arrays.stream(y).allMatch(Double::isFinite));
  }
}
