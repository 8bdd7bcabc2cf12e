package dev.srtune.tune;

import dev.srtune.image.RgbImage;
import java.util.List;

/**
 * What a run produced: the network's output before and after, the curve, and why it stopped.
 *
 * @param start f_θ(y), the pretrained network's output
 * @param result f_ψ̂(y), the fine-tuned output
 * @param curve one record per iteration (state before each update)
 * @param finalRecord metrics of the returned weights
 * @param backtracks the iterations whose whole-image LR-PSNR fell below the start, after which the best weights were
 *     put back and the rate halved ({@link Backtracking})
 * @param plan the run's length as planned (its time budget and how it was spent), or null for a baseline's run
 */
public record FineTuneResult(RgbImage start, RgbImage result, List<IterationRecord> curve,
    IterationRecord startRecord, IterationRecord finalRecord, int iterations, String stopReason,
    double seconds, List<Integer> backtracks, RunPlan plan) {

  public FineTuneResult {
    backtracks = List.copyOf(backtracks);
  }

  /** A run without a plan of its own (a baseline's). */
  public FineTuneResult(RgbImage start, RgbImage result, List<IterationRecord> curve, IterationRecord startRecord,
      IterationRecord finalRecord, int iterations, String stopReason, double seconds, List<Integer> backtracks) {
    this(start, result, curve, startRecord, finalRecord, iterations, stopReason, seconds, backtracks, null);
  }

  /** A run that never backtracked. */
  public FineTuneResult(RgbImage start, RgbImage result, List<IterationRecord> curve, IterationRecord startRecord,
      IterationRecord finalRecord, int iterations, String stopReason, double seconds) {
    this(start, result, curve, startRecord, finalRecord, iterations, stopReason, seconds, List.of());
  }

  public double secondsPerIteration() {
    return iterations == 0 ? 0 : seconds / iterations;
  }
}
