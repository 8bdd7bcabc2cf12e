package dev.srtune.baseline;

import java.util.List;

/**
 * ZSSR's learning-rate test: fit a line to the last reconstruction errors against their iterations (least
 * squares, numpy's {@code polyfit(x, y, 1, cov=True)}) and reduce the rate when the error no longer falls clearly,
 * i.e. when −ratio·slope is below the standard deviation of the slope estimate. That standard deviation is
 * √(RSS / (n − 4) / Σ(x − x̄)²): numpy before 1.16, which the published code ran on, scaled the covariance by
 * RSS / (n − order − 2) with order = 2 (numpy now uses n − 2); with ZSSR's 5 points that is RSS / 1.
 */
public record SlopeTest(double ratio) {
  /** Dof numpy's old polyfit subtracted from n for a line (order 2, plus its extra 2). */
  static final int DOF_SUBTRACTED = 4;

  /** The fitted slope and its standard deviation. */
  public record Fit(double slope, double std) {}

  public static Fit fit(List<Integer> x, List<Double> y) {
    int n = x.size();
    if (n != y.size() || n <= DOF_SUBTRACTED) {
      throw new IllegalArgumentException("need more than " + DOF_SUBTRACTED + " points of equal count, got " + n);
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x.get(i);
      my += y.get(i);
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (x.get(i) - mx) * (x.get(i) - mx);
      sxy += (x.get(i) - mx) * (y.get(i) - my);
    }
    double slope = sxy / sxx;
    double rss = 0;
    for (int i = 0; i < n; i++) {
      double r = y.get(i) - (my + slope * (x.get(i) - mx));
      rss += r * r;
    }
    return new Fit(slope, Math.sqrt(rss / (n - DOF_SUBTRACTED) / sxx));
  }

  /** True when the rate should be divided: the error's decrease is within the noise of the fit. */
  public boolean reduce(Fit f) {
    return -ratio * f.slope() < f.std();
  }
}
