package dev.srtune.blind;

import dev.srtune.graph.degradation.BlurKernel;

/**
 * How far a kernel estimate k̂ is from the true kernel k: the normalised L2 error ‖k̂ − k‖₂ / ‖k‖₂ after the best
 * integer shift of k̂ within ±{@value #MAX_SHIFT} taps (a blur shifted by a whole pixel shifts the image, which the
 * centring prior should prevent but a comparison should not punish twice), both zero-padded to a common odd side
 * (plus the shift range, so no tap leaves the grid) and centred.
 *
 * @param normalisedL2 ‖shift(k̂) − k‖₂ / ‖k‖₂ at the best shift
 * @param shiftY the best shift, rows
 * @param shiftX the best shift, columns
 * @param unshiftedL2 the same error without shifting
 */
public record KernelError(double normalisedL2, int shiftY, int shiftX, double unshiftedL2) {
  public static final int MAX_SHIFT = 2;

  public static KernelError between(BlurKernel estimate, BlurKernel truth) {
    int n = Math.max(Math.max(estimate.height(), estimate.width()), Math.max(truth.height(), truth.width()));
    n += 1 - n % 2;
    n += 2 * MAX_SHIFT; // room to shift without losing taps off the grid
    double[] e = centred(estimate, n);
    double[] t = centred(truth, n);
    double norm = 0;
    for (double v : t) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    double best = Double.POSITIVE_INFINITY;
    int by = 0;
    int bx = 0;
    for (int dy = -MAX_SHIFT; dy <= MAX_SHIFT; dy++) {
      for (int dx = -MAX_SHIFT; dx <= MAX_SHIFT; dx++) {
        double err = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            int si = i - dy;
            int sj = j - dx;
            double ev = si >= 0 && si < n && sj >= 0 && sj < n ? e[si * n + sj] : 0;
            double d = ev - t[i * n + j];
            err += d * d;
          }
        }
        if (err < best) {
          best = err;
          by = dy;
          bx = dx;
        }
      }
    }
    double unshifted = 0;
    for (int i = 0; i < n * n; i++) {
      unshifted += (e[i] - t[i]) * (e[i] - t[i]);
    }
    return new KernelError(Math.sqrt(best) / norm, by, bx, Math.sqrt(unshifted) / norm);
  }

  /** k's values placed at the centre of an n×n zero grid (centres at ⌊(side−1)/2⌋ as {@code Blur} uses). */
  static double[] centred(BlurKernel k, int n) {
    double[] out = new double[n * n];
    int oy = (n - 1) / 2 - (k.height() - 1) / 2;
    int ox = (n - 1) / 2 - (k.width() - 1) / 2;
    for (int i = 0; i < k.height(); i++) {
      for (int j = 0; j < k.width(); j++) {
        out[(i + oy) * n + j + ox] = k.at(i, j);
      }
    }
    return out;
  }

  /**
   * Centre of mass offset from the kernel centre (rows, columns) and the covariance (yy, xy, xx) in taps²: what the
   * kernel is as a Gaussian would be, for reports.
   */
  public static double[] moments(BlurKernel k) {
    double cy = (k.height() - 1) / 2.0;
    double cx = (k.width() - 1) / 2.0;
    double my = 0;
    double mx = 0;
    for (int i = 0; i < k.height(); i++) {
      for (int j = 0; j < k.width(); j++) {
        my += k.at(i, j) * (i - cy);
        mx += k.at(i, j) * (j - cx);
      }
    }
    double yy = 0;
    double xy = 0;
    double xx = 0;
    for (int i = 0; i < k.height(); i++) {
      for (int j = 0; j < k.width(); j++) {
        double y = i - cy - my;
        double x = j - cx - mx;
        yy += k.at(i, j) * y * y;
        xy += k.at(i, j) * x * y;
        xx += k.at(i, j) * x * x;
      }
    }
    return new double[] {my, mx, yy, xy, xx};
  }
}
