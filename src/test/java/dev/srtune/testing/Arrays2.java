package dev.srtune.testing;

/** Small numeric comparisons for tests. */
public final class Arrays2 {
  private Arrays2() {}

  public static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("length " + a.length + " != " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs((double) a[i] - b[i]);
      if (!(d <= m)) {
        m = d; // NaN propagates
      }
    }
    return m;
  }
}
