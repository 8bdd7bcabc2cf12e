package dev.srtune.tune;

import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.train.Adam;
import java.util.List;

/**
 * The named bundles users pick with {@code --schedule}: {@code paper} is Algorithm 1 as published; {@code fast}
 * reaches the paper's quality soonest on a CPU (see README "Time to quality" for the measurements it was chosen by).
 */
public final class Schedules {
  public static final String PAPER = "paper";
  public static final String FAST = "fast";
  /** What the CLI runs when no schedule is named. */
  public static final String DEFAULT = FAST;
  public static final List<String> NAMES = List.of(PAPER, FAST);

  /** Fast: crops of this LR side … */
  public static final String FAST_SAMPLING = "crops:48x4";
  public static final double FAST_LEARNING_RATE = 1e-4;
  public static final String FAST_LR_SCHEDULE = "constant";
  public static final int FAST_MEASURE_EVERY = 10;
  public static final int FAST_WINDOW = 100;

  private Schedules() {}

  public static FineTuneOptions named(String name, Degradation operator) {
    return switch (name) {
      case PAPER -> FineTuneOptions.paper(operator);
      case FAST -> fast(operator);
      default -> throw new IllegalArgumentException("Unknown schedule '" + name + "'; use " + String.join(" or ", NAMES)
          + ".");
    };
  }

  public static FineTuneOptions fast(Degradation operator) {
    return FineTuneOptions.paper(operator)
        .withOptimizer(Adam.defaults(), LearningRateSchedule.parse(FAST_LR_SCHEDULE, FAST_LEARNING_RATE))
        .withSampler(Sampler.parse(FAST_SAMPLING), FAST_MEASURE_EVERY)
        .withStopRule(PlateauStopRule.lrPsnr(PlateauStopRule.LR_PSNR_DELTA_DEFAULT, FAST_WINDOW))
        .named(FAST);
  }
}
