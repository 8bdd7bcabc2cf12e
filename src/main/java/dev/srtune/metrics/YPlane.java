package dev.srtune.metrics;

import dev.srtune.image.RgbImage;

/**
 * A luma plane on MATLAB's [0,255] scale (Y in [16,235] for images in [0,1]), row-major doubles.
 *
 * <p>{@link #ofSaved8bit} is the benchmark convention (MATLAB {@code rgb2ycbcr} on {@code im2double} of the saved
 * PNG): samples are first rounded to 8 bits as {@code imwrite} would, then Y = 16 + 65.481 R + 128.553 G + 24.966 B
 * with R, G, B = byte/255. Y itself is not rounded.
 */
public record YPlane(int height, int width, double[] data) {

  public YPlane {
    if (data.length != height * width) {
      throw new IllegalArgumentException("expected " + height * width + " samples, got " + data.length);
    }
  }

  /** BT.601 Y of the image as a saved 8-bit file would hold it (clip, round half up, as im2uint8). */
  public static YPlane ofSaved8bit(RgbImage img) {
    int h = img.height();
    int w = img.width();
    float[] rgb = img.data();
    double[] y = new double[h * w];
    for (int i = 0; i < y.length; i++) {
      double r = RgbImage.to8bit(rgb[3 * i]) / 255.0;
      double g = RgbImage.to8bit(rgb[3 * i + 1]) / 255.0;
      double b = RgbImage.to8bit(rgb[3 * i + 2]) / 255.0;
      y[i] = 16 + 65.481 * r + 128.553 * g + 24.966 * b;
    }
    return new YPlane(h, w, y);
  }

  /** The plane without {@code s} pixels at each of the four borders (the benchmarks' "shave"/"crop_border"). */
  public YPlane shaved(int s) {
    if (s < 0) {
      throw new IllegalArgumentException("shave must be >= 0, got " + s);
    }
    if (s == 0) {
      return this;
    }
    int h = height - 2 * s;
    int w = width - 2 * s;
    if (h <= 0 || w <= 0) {
      throw new IllegalArgumentException("shaving " + s + " pixels from each border of a " + height + "x" + width
          + " image leaves nothing");
    }
    double[] out = new double[h * w];
    for (int r = 0; r < h; r++) {
      System.arraycopy(data, (r + s) * width + s, out, r * w, w);
    }
    return new YPlane(h, w, out);
  }

  public double get(int r, int c) {
    return data[r * width + c];
  }
}
