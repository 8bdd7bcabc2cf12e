package dev.srtune.metrics;

import dev.srtune.image.RgbImage;

/** PSNR on RGB images in [0,1] over all pixels and channels, no shave (srtune's default convention). */
public final class Psnr {
  private Psnr() {}

  /** Mean squared error over all samples; images must have the same size. */
  public static double mse(RgbImage a, RgbImage b) {
    if (a.height() != b.height() || a.width() != b.width()) {
      throw new IllegalArgumentException("images differ in size: " + a.height() + "x" + a.width() + " vs "
          + b.height() + "x" + b.width());
    }
    float[] x = a.data();
    float[] y = b.data();
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double d = (double) x[i] - y[i];
      sum += d * d;
    }
    return sum / x.length;
  }

  /** 10·log10(1/MSE); +∞ for identical images. */
  public static double rgb(RgbImage a, RgbImage b) {
    double mse = mse(a, b);
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
  }
}
