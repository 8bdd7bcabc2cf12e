package dev.srtune.image;

import java.util.List;

/** Images side by side, top-aligned, on a white background, for comparing results at a glance. */
public final class ImageStrip {
  public static final int GAP_PIXELS = 4;

  private ImageStrip() {}

  /** {@code images} left to right with {@value #GAP_PIXELS} white pixels between them. */
  public static RgbImage horizontal(List<RgbImage> images) {
    int height = images.stream().mapToInt(RgbImage::height).max().orElseThrow();
    int width = images.stream().mapToInt(RgbImage::width).sum() + GAP_PIXELS * (images.size() - 1);
    float[] out = new float[height * width * 3];
    java.util.Arrays.fill(out, 1f);
    int left = 0;
    for (RgbImage img : images) {
      for (int y = 0; y < img.height(); y++) {
        System.arraycopy(img.data(), y * img.width() * 3, out, (y * width + left) * 3, img.width() * 3);
      }
      left += img.width() + GAP_PIXELS;
    }
    return new RgbImage(height, width, out);
  }
}
