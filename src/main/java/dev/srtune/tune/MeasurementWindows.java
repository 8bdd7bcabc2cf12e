package dev.srtune.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fixed LR windows whose LR metrics stand for the whole image's on a photo-size image, where a whole-image pass
 * every few iterations would take longer than the steps: a {@value #GRID}×{@value #GRID} grid of {@value #SIDE}²
 * windows spread over the image, each with a {@value #MARGIN}-pixel loss margin (there the network and A see the
 * window's edge). The same windows every time, so the curve and the stop rule compare like with like.
 *
 * @param windows the windows, all {@value #SIDE}² LR pixels
 */
record MeasurementWindows(List<Window> windows) {
  /** LR images above this many pixels (512²) are measured on the windows. */
  static final long FROM_PIXELS = 512L * 512;
  static final int SIDE = 96;
  static final int GRID = 3;
  static final int MARGIN = 8;

  /** The windows for an h×w LR image starting on multiples of {@code align}, or null when it is measured whole. */
  static MeasurementWindows forImage(int h, int w, int align) {
    if ((long) h * w <= FROM_PIXELS || h < SIDE || w < SIDE) {
      return null;
    }
    List<Window> out = new ArrayList<>();
    for (int i = 0; i < GRID; i++) {
      for (int j = 0; j < GRID; j++) {
        out.add(new Window(spread(i, h, align), spread(j, w, align), SIDE, SIDE));
      }
    }
    return new MeasurementWindows(List.copyOf(out));
  }

  /** The i-th of {@link #GRID} starts from 0 to n − {@link #SIDE}, evenly, rounded down to the alignment. */
  private static int spread(int i, int n, int align) {
    int start = (int) Math.round((double) i * (n - SIDE) / (GRID - 1));
    return start / align * align;
  }

  String describe() {
    return String.format(Locale.ROOT, "LR metrics on %d fixed %dx%d windows (margin %d)", windows.size(), SIDE, SIDE,
        MARGIN);
  }
}
