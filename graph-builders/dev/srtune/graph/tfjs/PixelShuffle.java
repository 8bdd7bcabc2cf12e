package dev.srtune.graph.tfjs;

/**
 * UpscalerJS' custom {@code PixelShuffle<n>x} layer of the RRDN models: {@code depth_to_space(x, n)}, NHWC. The
 * factor is its config's {@code scale}, else the number in its class name.
 */
final class PixelShuffle {
  private PixelShuffle() {}

  static boolean isPixelShuffle(KerasLayer l) {
    return l.className().matches("PixelShuffle\\d*x?");
  }

  static int factor(KerasLayer l) {
    int f = l.intConfig("scale", 0);
    if (f == 0) {
      String digits = l.className().replaceAll("\\D", "");
      if (digits.isEmpty()) {
        throw new TfjsModelException("PixelShuffle layer '" + l.name() + "' states no scale.");
      }
      f = Integer.parseInt(digits);
    }
    return f;
  }
}
