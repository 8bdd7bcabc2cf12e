package dev.srtune.metrics;

import dev.srtune.image.RgbImage;

/**
 * Structural similarity as Wang et al. 2004 ({@code ssim_index.m}): 11×11 Gaussian window with σ = 1.5
 * normalised to sum 1, K1 = 0.01, K2 = 0.03, L = 255, 'valid' filtering (no padding), mean of the SSIM map; no
 * automatic downsampling. {@link #y} applies it to the benchmark Y channel (8-bit rounded, shaved), as
 * {@link Psnr#y} does. Identical images give exactly 1.
 */
public final class Ssim {
  public static final int WINDOW = 11;
  public static final double SIGMA = 1.5;
  public static final double K1 = 0.01;
  public static final double K2 = 0.03;
  public static final double L = 255;

  /** 1-D factor of the normalised 2-D Gaussian window (the 2-D window is its outer product). */
  private static final double[] GAUSS = gaussian1d();

  private Ssim() {}

  /** SSIM on the Y channel of the 8-bit-rounded images with {@code shave} pixels removed at each border. */
  public static double y(RgbImage reference, RgbImage test, int shave) {
    Psnr.requireSameSize(reference, test);
    return of(YPlane.ofSaved8bit(reference).shaved(shave), YPlane.ofSaved8bit(test).shaved(shave));
  }

  /** Mean SSIM of two planes on the [0,255] scale; both must be at least 11×11. */
  public static double of(YPlane a, YPlane b) {
    if (a.height() != b.height() || a.width() != b.width()) {
      throw new IllegalArgumentException("planes differ in size: " + a.height() + "x" + a.width() + " vs "
          + b.height() + "x" + b.width());
    }
    if (a.height() < WINDOW || a.width() < WINDOW) {
      throw new IllegalArgumentException("SSIM needs at least " + WINDOW + "x" + WINDOW + " pixels after shaving, got "
          + a.height() + "x" + a.width());
    }
    int n = a.data().length;
    double[] x = a.data();
    double[] y = b.data();
    double[] xx = new double[n];
    double[] yy = new double[n];
    double[] xy = new double[n];
    for (int i = 0; i < n; i++) {
      xx[i] = x[i] * x[i];
      yy[i] = y[i] * y[i];
      xy[i] = x[i] * y[i];
    }
    int h = a.height();
    int w = a.width();
    double[] mx = filterValid(x, h, w);
    double[] my = filterValid(y, h, w);
    double[] sxx = filterValid(xx, h, w);
    double[] syy = filterValid(yy, h, w);
    double[] sxy = filterValid(xy, h, w);
    double c1 = (K1 * L) * (K1 * L);
    double c2 = (K2 * L) * (K2 * L);
    double sum = 0;
    for (int i = 0; i < mx.length; i++) {
      double mux = mx[i];
      double muy = my[i];
      double vx = sxx[i] - mux * mux;
      double vy = syy[i] - muy * muy;
      double cov = sxy[i] - mux * muy;
      sum += ((2 * mux * muy + c1) * (2 * cov + c2)) / ((mux * mux + muy * muy + c1) * (vx + vy + c2));
    }
    return sum / mx.length;
  }

  /** Gaussian-window correlation without padding (MATLAB filter2 'valid'), as two separable passes. */
  private static double[] filterValid(double[] img, int h, int w) {
    int ow = w - WINDOW + 1;
    int oh = h - WINDOW + 1;
    double[] rows = new double[h * ow];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < ow; c++) {
        double s = 0;
        for (int k = 0; k < WINDOW; k++) {
          s += GAUSS[k] * img[r * w + c + k];
        }
        rows[r * ow + c] = s;
      }
    }
    double[] out = new double[oh * ow];
    for (int r = 0; r < oh; r++) {
      for (int c = 0; c < ow; c++) {
        double s = 0;
        for (int k = 0; k < WINDOW; k++) {
          s += GAUSS[k] * rows[(r + k) * ow + c];
        }
        out[r * ow + c] = s;
      }
    }
    return out;
  }

  private static double[] gaussian1d() {
    // fspecial('gaussian', 11, 1.5) is exp(-(x²+y²)/2σ²) / sum, which factors into g(x)·g(y) with g normalised.
    double[] g = new double[WINDOW];
    double sum = 0;
    for (int i = 0; i < WINDOW; i++) {
      double d = i - (WINDOW - 1) / 2.0;
      g[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
      sum += g[i];
    }
    for (int i = 0; i < WINDOW; i++) {
      g[i] /= sum;
    }
    return g;
  }
}
