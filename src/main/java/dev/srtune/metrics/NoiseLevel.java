package dev.srtune.metrics;

import dev.srtune.image.RgbImage;
import java.util.Arrays;

/**
 * The standard deviation of white Gaussian noise in an image, from the image alone: Donoho's estimator, the median
 * absolute value of the finest diagonal Haar wavelet coefficients over 0.6745, per channel, averaged. Texture leaks
 * into those coefficients, so on a clean image it reads a little above zero (about 1/255 on Set5 LR images).
 */
public final class NoiseLevel {
  private NoiseLevel() {}

  /** σ on the [0,1] scale. */
  public static double estimate(RgbImage img) {
    int h = img.height() / 2;
    int w = img.width() / 2;
    if (h < 1 || w < 1) {
      return 0;
    }
    double sum = 0;
    for (int c = 0; c < 3; c++) {
      double[] hh = new double[h * w];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double a = img.get(2 * y, 2 * x, c);
          double b = img.get(2 * y, 2 * x + 1, c);
          double d = img.get(2 * y + 1, 2 * x, c);
          double e = img.get(2 * y + 1, 2 * x + 1, c);
          hh[y * w + x] = Math.abs(a - b - d + e) / 2; // orthonormal Haar HH
        }
      }
      Arrays.sort(hh);
      double median = hh.length % 2 == 1 ? hh[hh.length / 2] : (hh[hh.length / 2 - 1] + hh[hh.length / 2]) / 2;
      sum += median / 0.6745;
    }
    return sum / 3;
  }
}
