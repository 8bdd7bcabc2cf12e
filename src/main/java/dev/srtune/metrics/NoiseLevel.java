package dev.srtune.metrics;

import dev.srtune.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The standard deviation of white Gaussian noise in an image, from the image alone: Donoho's estimator (the median
 * absolute value of the finest diagonal Haar wavelet coefficients over 0.6745) on the image's weakest-textured
 * parts. Texture leaks into those coefficients, so only the {@value #WEAK_FRACTION} of 8×8 patches with the least
 * horizontal and vertical detail count (those bands are independent of the diagonal one for white noise), and
 * patches that reach near black or white are left out (clipping there hides the noise). Per channel, averaged.
 * On the Set5 LR images: 0.7–3/255 clean, 5.2–6.2 with σ = 5, 10.1–10.9 with σ = 10 (scripts/checks/noise_sigma.py
 * computes the same independently).
 */
public final class NoiseLevel {
  static final double WEAK_FRACTION = 0.2;
  private static final double DARKEST = 15 / 255.0;
  private static final double BRIGHTEST = 240 / 255.0;

  private NoiseLevel() {}

  /** One 8×8 patch of one channel: its detail energy, its |diagonal| coefficients, whether it avoids clipping. */
  private record Patch(double detail, double[] diagonal, boolean unclipped) {}

  /** σ on the [0,1] scale. */
  public static double estimate(RgbImage img) {
    int ph = img.height() / 8;
    int pw = img.width() / 8;
    if (ph < 1 || pw < 1) {
      return 0;
    }
    double sum = 0;
    for (int c = 0; c < 3; c++) {
      List<Patch> patches = new ArrayList<>();
      for (int py = 0; py < ph; py++) {
        for (int px = 0; px < pw; px++) {
          patches.add(patch(img, c, py * 8, px * 8));
        }
      }
      List<Patch> usable = patches.stream().filter(Patch::unclipped).toList();
      List<Patch> pool = new ArrayList<>(usable.isEmpty() ? patches : usable);
      pool.sort(Comparator.comparingDouble(Patch::detail));
      int k = Math.max(1, (int) (WEAK_FRACTION * pool.size()));
      double[] d = new double[k * 16];
      for (int i = 0; i < k; i++) {
        System.arraycopy(pool.get(i).diagonal(), 0, d, i * 16, 16);
      }
      Arrays.sort(d);
      sum += (d[d.length / 2 - 1] + d[d.length / 2]) / 2 / 0.6745;
    }
    return sum / 3;
  }

  private static Patch patch(RgbImage img, int c, int top, int left) {
    double detail = 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double[] diagonal = new double[16];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        int y = top + 2 * i;
        int x = left + 2 * j;
        double a = img.get(y, x, c);
        double b = img.get(y, x + 1, c);
        double e = img.get(y + 1, x, c);
        double f = img.get(y + 1, x + 1, c);
        double horizontal = (a + b - e - f) / 2; // orthonormal Haar bands of the 2×2 block
        double vertical = (a - b + e - f) / 2;
        diagonal[i * 4 + j] = Math.abs(a - b - e + f) / 2;
        detail += horizontal * horizontal + vertical * vertical;
        double mean = (a + b + e + f) / 4;
        lo = Math.min(lo, mean);
        hi = Math.max(hi, mean);
      }
    }
    return new Patch(detail, diagonal, lo > DARKEST && hi < BRIGHTEST);
  }
}
