package dev.srtune.tune;

import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.train.Adam;
import dev.srtune.tune.loss.DataFidelity;
import dev.srtune.tune.loss.TotalVariationTerm;
import java.util.List;

/**
 * The named bundles users pick with {@code --schedule}: {@code paper} is Algorithm 1 as published; {@code fast}
 * reaches the paper's quality soonest on a CPU (see docs/time-to-quality.md for the measurements it was chosen by);
 * {@code planned}, the default, is {@code fast} sized to a time budget ({@link BudgetPlanner}): where fast's 300
 * iterations do not fit, its cosine is compressed to the iterations that do.
 */
public final class Schedules {
  public static final String PAPER = "paper";
  public static final String FAST = "fast";
  public static final String PLANNED = "planned";
  /** What the CLI runs when no schedule is named. */
  public static final String DEFAULT = PLANNED;
  public static final List<String> NAMES = List.of(PLANNED, FAST, PAPER);

  /**
   * The planned schedule's budget: seconds of fine-tuning per image (docs/time-to-quality.md: Set5 x2 and x3 with
   * EnhanceNet, old and new default side by side).
   */
  public static final double PLANNED_BUDGET_SECONDS = 30;

  /** Fast: four random 48×48 LR windows per iteration (the whole image where that is no cheaper). */
  public static final String FAST_SAMPLING = "crops:48x4";
  /** Adam at 1e-4: SGD-momentum at the paper's rate on the same crops was at 38.5 dB LR-PSNR after 190 iterations on
   * butterfly x2 where Adam was at 47.7 dB; Adam at 3e-4 ended 0.13 dB lower in HR-PSNR. */
  public static final double FAST_LEARNING_RATE = 1e-4;
  /** No warm-up: on six networks x Set5 a 20-iteration warm-up cost 0.01-0.20 dB (DCSCN x2 the most); a network
   * whose first steps are too large shows it in a measurement, and {@link Backtracking} warms up after its restart.
   * Half a cosine to 0 over 300 iterations: the HR-PSNR has flattened by then, and the decay lets the LR-PSNR
   * plateau so the paper's δ rule fires (at a constant rate it keeps rising ~0.08 dB per 10 iterations). A floor of
   * 5 % was not enough: on bird x3 Adam kept the LR-PSNR rising 0.06 dB per 30 iterations at the floor, past 700. */
  public static final String FAST_LR_SCHEDULE = "cosine:300:0";
  public static final int FAST_MEASURE_EVERY = 10;
  /** Three measurements: the δ = 0.04 dB rule fired at iteration 291 on butterfly x2. */
  public static final int FAST_WINDOW = 30;

  /**
   * TV of the output at 0.001 (a penalty on what A cannot see): without it, on the networks users bring, Adam pulls a
   * pixel-shuffle network's sub-pixel phases apart into a checkerboard the antialiased bicubic A barely sees, while
   * the LR-PSNR rises (docs/results/networks: every family measured with and without).
   */
  public static final double FAST_TV = 0.001;

  private Schedules() {}

  public static FineTuneOptions named(String name, Degradation operator) {
    return switch (name) {
      case PAPER -> FineTuneOptions.paper(operator);
      case FAST -> fast(operator);
      case PLANNED -> planned(operator);
      default -> throw new IllegalArgumentException("Unknown schedule '" + name + "'; use " + String.join(" or ", NAMES)
          + ".");
    };
  }

  public static FineTuneOptions fast(Degradation operator) {
    return FineTuneOptions.paper(operator)
        .withOptimizer(Adam.defaults(), LearningRateSchedule.parse(FAST_LR_SCHEDULE, FAST_LEARNING_RATE))
        .withSampler(Sampler.parse(FAST_SAMPLING), FAST_MEASURE_EVERY)
        .withStopRule(PlateauStopRule.lrPsnr(PlateauStopRule.LR_PSNR_DELTA_DEFAULT, FAST_WINDOW))
        .withLossTerms(List.of(DataFidelity.PLAIN, TotalVariationTerm.scheduleDefault(FAST_TV)))
        // The floor: the returned weights are the best measured on the whole LR image, the pretrained ones included.
        .withKeepBest(true)
        .named(FAST);
  }

  /** Fast, planned for {@link #PLANNED_BUDGET_SECONDS} of fine-tuning. */
  public static FineTuneOptions planned(Degradation operator) {
    return fast(operator).withTimeBudget(java.time.Duration.ofMillis((long) (PLANNED_BUDGET_SECONDS * 1000)))
        .named(PLANNED);
  }
}
