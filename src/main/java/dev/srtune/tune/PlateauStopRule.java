package dev.srtune.tune;

import java.util.List;
import java.util.Optional;

/**
 * The paper's criterion: stop when a metric on the LR data "does not improve by more than δ". Per-iteration
 * changes under SGD with momentum are far smaller than δ, so improvement is measured over a window: at
 * iteration t ≥ W, stop when the best value measured in the last W iterations (t−W, t] beats the best value
 * measured before them by no more than δ. Works on records taken every iteration or every N.
 */
public record PlateauStopRule(String metric, boolean higherIsBetter, double delta, int window) implements StopRule {
  /** δ for LR-PSNR in dB (paper, Section III-B). */
  public static final double LR_PSNR_DELTA_DEFAULT = 0.04;
  /** δ for LR-LPIPS (paper, Section III-B, GAN experiments). */
  public static final double LR_LPIPS_DELTA_DEFAULT = 3e-5;
  /** W: see docs/stop-rule.md for the curves it was chosen from. */
  public static final int WINDOW_DEFAULT = 100;

  public PlateauStopRule {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, got " + window);
    }
    if (!(delta >= 0)) {
      throw new IllegalArgumentException("delta must be >= 0, got " + delta);
    }
  }

  public static PlateauStopRule lrPsnr(double delta, int window) {
    return new PlateauStopRule("lr_psnr", true, delta, window);
  }

  public static PlateauStopRule lrLpips(double delta, int window) {
    return new PlateauStopRule("lr_lpips", false, delta, window);
  }

  @Override
  public Optional<PlateauStopRule> plateau() {
    return Optional.of(this);
  }

  @Override
  public Optional<String> check(List<IterationRecord> history) {
    double gain = gain(history);
    return !Double.isNaN(gain) && gain <= delta ? Optional.of(metric + "_plateau") : Optional.empty();
  }

  /**
   * The improvement of the best value measured in the window (t−W, t] over the best measured before it, for the
   * last record's iteration t; NaN while t &lt; W or nothing was measured before the window.
   */
  public double gain(List<IterationRecord> history) {
    int n = history.size();
    if (n == 0) {
      return Double.NaN;
    }
    int t = history.get(n - 1).iteration();
    if (t < window) {
      return Double.NaN;
    }
    // Records may be every N iterations (crop sampling measures the whole image now and then): split by iteration.
    int split = n;
    while (split > 0 && history.get(split - 1).iteration() > t - window) {
      split--;
    }
    if (split == 0) {
      return Double.NaN;
    }
    double before = best(history, 0, split);
    double recent = best(history, split, n);
    return higherIsBetter ? recent - before : before - recent;
  }

  private double best(List<IterationRecord> h, int from, int to) {
    double b = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    for (int i = from; i < to; i++) {
      double v = h.get(i).metric(metric);
      b = higherIsBetter ? Math.max(b, v) : Math.min(b, v);
    }
    return b;
  }

  @Override
  public Optional<String> requiredMetric() {
    return metric.equals("lr_psnr") || metric.equals("loss") ? Optional.empty() : Optional.of(metric);
  }

  @Override
  public String describe() {
    return metric + " plateau (delta " + delta + ", window " + window + ")";
  }
}
