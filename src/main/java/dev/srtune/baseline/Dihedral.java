package dev.srtune.baseline;

import dev.srtune.image.RgbImage;

/**
 * The eight symmetries of the square applied to an image: transform k (0..7) mirrors left-right when k ≥ 4, then
 * turns by (k mod 4) quarter turns counter-clockwise. {@link #invert} undoes {@link #apply}. ZSSR trains on these
 * and averages its outputs over them (its geometric self-ensemble).
 */
public final class Dihedral {
  public static final int COUNT = 8;

  private Dihedral() {}

  public static RgbImage apply(RgbImage img, int k) {
    RgbImage x = k >= 4 ? mirror(img) : img;
    for (int i = 0; i < k % 4; i++) {
      x = turn(x);
    }
    return x;
  }

  public static RgbImage invert(RgbImage img, int k) {
    RgbImage x = img;
    for (int i = 0; i < (4 - k % 4) % 4; i++) {
      x = turn(x);
    }
    return k >= 4 ? mirror(x) : x;
  }

  /** Left-right mirror. */
  static RgbImage mirror(RgbImage img) {
    RgbImage out = RgbImage.zeros(img.height(), img.width());
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        for (int c = 0; c < 3; c++) {
          out.set(y, img.width() - 1 - x, c, img.get(y, x, c));
        }
      }
    }
    return out;
  }

  /** A quarter turn counter-clockwise (numpy's rot90): output (i, j) = input (j, W − 1 − i). */
  static RgbImage turn(RgbImage img) {
    int h = img.width();
    int w = img.height();
    RgbImage out = RgbImage.zeros(h, w);
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        for (int c = 0; c < 3; c++) {
          out.set(i, j, c, img.get(j, img.width() - 1 - i, c));
        }
      }
    }
    return out;
  }
}
