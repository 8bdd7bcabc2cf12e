package dev.srtune.tune;

import java.util.List;
import java.util.Optional;

/**
 * Decides after each iteration whether fine-tuning has converged. Returns the stop reason, or empty to go
 * on. The iteration cap, time budget and non-finite loss are handled by the loop itself.
 */
@FunctionalInterface
public interface StopRule {

  Optional<String> check(List<IterationRecord> history);

  /** Never stops (runs to the iteration cap). */
  static StopRule none() {
    return h -> Optional.empty();
  }

  /** The metric this rule reads every iteration, if it needs one beyond the loss (e.g. lr_lpips). */
  default Optional<String> requiredMetric() {
    return Optional.empty();
  }

  /** The LR-metric plateau this rule stops on, if any (the progress line and keep-best read its metric). */
  default Optional<PlateauStopRule> plateau() {
    return Optional.empty();
  }

  default String describe() {
    return "none";
  }
}
