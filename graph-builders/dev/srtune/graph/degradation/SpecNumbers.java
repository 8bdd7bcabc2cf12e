package dev.srtune.graph.degradation;

/** Numbers in spec strings: written so they parse back to the same double, and without a needless ".0". */
final class SpecNumbers {
  private SpecNumbers() {}

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
