package dev.srtune.metrics;

import dev.srtune.image.RgbImage;

/**
 * Peak signal-to-noise ratio in the two conventions papers use. Identical images give +∞.
 * <ul>
 *   <li>{@link #rgb}: RGB in [0,1], all pixels and channels, no shave, values as given (srtune's default).</li>
 *   <li>{@link #y}: the SR benchmark convention: both images rounded to 8 bits as saved files, Y of MATLAB
 *       {@code rgb2ycbcr} on the [0,255] scale, {@code shave} pixels removed at each border, peak 255.</li>
 * </ul>
 */
public final class Psnr {
  private Psnr() {}

  /** Mean squared error over all samples; images must have the same size. */
  public static double mse(RgbImage a, RgbImage b) {
    requireSameSize(a, b);
    float[] x = a.data();
    float[] y = b.data();
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double d = (double) x[i] - y[i];
      sum += d * d;
    }
    return sum / x.length;
  }

  /** 10·log10(1/MSE) on RGB [0,1], no shave; +∞ for identical images. */
  public static double rgb(RgbImage a, RgbImage b) {
    return fromMse(mse(a, b), 1);
  }

  /**
   * 10·log10(255²/MSE) on the Y channel (BT.601, MATLAB {@code rgb2ycbcr}) of the 8-bit-rounded images with
   * {@code shave} pixels removed at each border (usually the scale factor); +∞ for identical images.
   */
  public static double y(RgbImage reference, RgbImage test, int shave) {
    requireSameSize(reference, test);
    return y(YPlane.ofSaved8bit(reference).shaved(shave), YPlane.ofSaved8bit(test).shaved(shave));
  }

  /** PSNR with peak 255 of two Y planes already prepared (rounded, shaved). */
  public static double y(YPlane reference, YPlane test) {
    if (reference.height() != test.height() || reference.width() != test.width()) {
      throw new IllegalArgumentException("Y planes differ in size: " + reference.height() + "x" + reference.width()
          + " vs " + test.height() + "x" + test.width());
    }
    double[] a = reference.data();
    double[] b = test.data();
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return fromMse(sum / a.length, 255);
  }

  static double fromMse(double mse, double peak) {
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(peak * peak / mse);
  }

  static void requireSameSize(RgbImage a, RgbImage b) {
    if (a.height() != b.height() || a.width() != b.width()) {
      throw new IllegalArgumentException("images differ in size: " + a.height() + "x" + a.width() + " vs "
          + b.height() + "x" + b.width() + "; compare an output with the ground truth of the same size");
    }
  }
}
