package dev.srtune.tune;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop's guard against steps too large for the network at hand. A whole-image measurement whose LR-PSNR is below
 * the start's means the steps made the network worse on the only data there is (seen on a LapSRN x2 graph: 39.6 ->
 * 28.7 dB in 10 Adam steps at the default rate). Then the best measured weights go back (keep-best's), the
 * optimiser's moments are zeroed, the rate is halved for the rest of the run and ramps up to that over
 * {@link #WARMUP} iterations (Adam's first steps after zeroed moments move every weight by about the rate, whatever
 * its gradient); after {@link #MAX_BACKTRACKS} the run stops with the best weights ({@link #STOP_REASON}). On with
 * keep-best, whose weights it puts back; it reads the plain LR-PSNR, as the stop rule's curve does.
 */
final class Backtracking {
  /** What the rate is multiplied by at each backtrack. */
  static final double FACTOR = 0.5;
  static final int MAX_BACKTRACKS = 4;
  static final String STOP_REASON = "worse_than_start";
  /** Iterations over which the rate ramps up again after a backtrack. */
  static final int WARMUP = 20;

  private final boolean on;
  private double start = Double.NaN;
  private final List<Integer> at = new ArrayList<>();

  Backtracking(FineTuneOptions options) {
    this.on = options.keepBest();
  }

  /**
   * Reads the measurement of ψ_t; true when it fell below the start, so the caller puts the best weights back and
   * slows down by {@link #FACTOR} (see {@link #exhausted()} first).
   */
  boolean fellBelowStart(IterationRecord rec) {
    if (!on) {
      return false;
    }
    if (Double.isNaN(start)) {
      start = rec.lrPsnr();
      return false;
    }
    if (rec.lrPsnr() < start) {
      at.add(rec.iteration());
      return true;
    }
    return false;
  }

  /** True when the run has backtracked more than {@link #MAX_BACKTRACKS} times: time to stop. */
  boolean exhausted() {
    return at.size() > MAX_BACKTRACKS;
  }

  /**
   * The multiplier of the schedule's rate at iteration t: {@link #FACTOR} per backtrack so far, ramping up linearly
   * over {@link #WARMUP} iterations after the last one; 1 before any.
   */
  double rateScale(int t) {
    if (at.isEmpty()) {
      return 1;
    }
    double ramp = Math.min(1.0, (t - at.get(at.size() - 1) + 1) / (double) WARMUP);
    return Math.pow(FACTOR, at.size()) * Math.max(ramp, 1.0 / WARMUP);
  }

  /** The iterations whose measurement fell below the start. */
  List<Integer> iterations() {
    return List.copyOf(at);
  }
}
