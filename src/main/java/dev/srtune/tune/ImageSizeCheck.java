package dev.srtune.tune;

import dev.srtune.UserInputException;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.image.RgbImage;
import java.util.Locale;

/** Refuses, in one sentence and before any work, an LR image too large for Java's heap or too small for A. */
final class ImageSizeCheck {
  private ImageSizeCheck() {}

  static void check(RgbImage y, Degradation operator, Sampler sampler) {
    int s = operator.scale();
    long outputBytes = 12L * s * s * y.height() * y.width(); // one f(y) as floats; the run holds about three
    if (3 * outputBytes > Runtime.getRuntime().maxMemory()) {
      throw new UserInputException(String.format(Locale.ROOT, "The x%d output of a %dx%d image takes "
          + "%.1f GB as floats and a run holds about three of them, more than Java's %.1f GB heap; give Java more "
          + "memory (SRTUNE_JAVA_OPTS=-Xmx...) or use a smaller image.", s, y.height(), y.width(), outputBytes / 1e9,
          Runtime.getRuntime().maxMemory() / 1e9));
    }
    int min = Math.max(4, (operator.minInputSize() + s - 1) / s + 2 * sampler.lossMargin());
    if (y.height() < min || y.width() < min) {
      throw new UserInputException("The LR image is " + y.height() + "x" + y.width() + "; it must be at least "
          + min + "x" + min + " pixels for this operator, so use a larger image.");
    }
  }
}
