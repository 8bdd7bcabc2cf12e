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

  /** Seconds into the run when the start's measurement was taken (0 before it). */
  double started() {
    return records.isEmpty() ? 0 : records.get(0).elapsedSeconds();
  }

  RgbImage start() {
    return start;
  }
}
