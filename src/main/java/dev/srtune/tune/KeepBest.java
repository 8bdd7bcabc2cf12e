package dev.srtune.tune;

/**
 * Keep-best: the measured ψ_t with the best value of the stop rule's metric (LR-PSNR unless a plateau rule reads
 * another), kept in {@link WeightSnapshots} as it is measured and put back at the end when it beats the last weights.
 * Off, it keeps nothing and never puts anything back.
 */
final class KeepBest {
  private final boolean on;
  private final WeightSnapshots snapshots;
  private final String metric;
  private final boolean higherBetter;
  private double bestValue = Double.NaN;
  private IterationRecord best;

  KeepBest(FineTuneOptions options, WeightSnapshots snapshots) {
    this.on = options.keepBest();
    this.snapshots = snapshots;
    this.metric = options.stopRule().plateau().map(PlateauStopRule::metric).orElse("lr_psnr");
    this.higherBetter = options.stopRule().plateau().map(PlateauStopRule::higherIsBetter).orElse(true);
  }

  /** Considers the measurement of ψ_t, remembered this iteration. */
  void offer(IterationRecord rec, int t) {
    if (!on) {
      return;
    }
    double v = rec.metric(metric);
    if (Double.isNaN(bestValue) || (higherBetter ? v > bestValue : v < bestValue)) {
      bestValue = v;
      best = rec;
      snapshots.keepAsBest(t);
    }
  }

  /** The best measurement so far (null before the first, or with keep-best off). */
  IterationRecord best() {
    return best;
  }

  /** The best measurement when it beats {@code last}, with its weights put back; else null (nothing changed). */
  IterationRecord restoreIfBetterThan(IterationRecord last) {
    if (!on || best == null) {
      return null;
    }
    double lastValue = last.metric(metric);
    if (higherBetter ? bestValue > lastValue : bestValue < lastValue) {
      snapshots.restoreBest();
      return best;
    }
    return null;
  }
}
