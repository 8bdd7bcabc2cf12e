package dev.srtune.tune;

import dev.srtune.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole-image measurements of one run, in order (what the stop rule reads and the report draws), each handed to
 * the listener as it is added; and f_ψ0(y), the output measured at iteration 0.
 */
final class RunCurve {
  private final IterationListener listener;
  private int maxIterations;
  private final List<IterationRecord> records = new ArrayList<>();
  /** What the stop rule reads: the records since the last backtrack, after the measurement put back there. */
  private List<IterationRecord> sinceRestart = records;
  private RgbImage start;

  RunCurve(IterationListener listener, int maxIterations) {
    this.listener = listener;
    this.maxIterations = maxIterations;
  }

  /** The run's plan from now on (corrected from its pace): the listener hears of it; returned as it is. */
  RunPlan follow(RunPlan plan) {
    if (plan.maxIterations() != maxIterations) {
      maxIterations = plan.maxIterations();
      listener.onPlan(plan);
    }
    return plan;
  }

  /** Adds the measurement of ψ_t; {@code show}: the listener also gets f_ψt(y). */
  void add(int t, Measurement m, boolean show) {
    if (t == 0) {
      start = m.output();
    }
    records.add(m.record());
    if (sinceRestart != records) {
      sinceRestart.add(m.record());
    }
    if (show) {
      listener.onOutput(t, m.output());
    }
    listener.onIteration(m.record(), maxIterations);
  }

  /** Ends the curve with the measurement of the weights after the last step, unless it is there already. */
  void end(IterationRecord last) {
    if (records.get(records.size() - 1).iteration() != last.iteration()) {
      records.add(last);
      listener.onIteration(last, maxIterations);
    }
  }

  List<IterationRecord> records() {
    return records;
  }

  /**
   * The weights measured as {@code best} were put back at iteration {@code t} (a backtrack): from here the stop rule
   * reads a curve that starts at t with best's value, so its window starts again rather than comparing the
   * measurements that fell with the best before them (a LapSRN x8 run backtracked at 4, 8 and 12 and its plateau
   * rule stopped it at 13 of a planned 40).
   */
  void restartAt(int t, IterationRecord best) {
    sinceRestart = new ArrayList<>();
    sinceRestart.add(new IterationRecord(t, best.loss(), best.lrPsnr(), best.metrics(), best.elapsedSeconds()));
  }

  /** The curve the stop rule reads: every record, or those since the last {@link #restartAt}. */
  List<IterationRecord> forStopRule() {
    return sinceRestart;
  }

  /** Seconds into the run when the start's measurement was taken (0 before it). */
  double started() {
    return records.isEmpty() ? 0 : records.get(0).elapsedSeconds();
  }

  RgbImage start() {
    return start;
  }
}
