package dev.srtune.tune;

import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.train.MomentumUpdates;
import java.time.Duration;
import java.util.List;

/**
 * Everything that configures one fine-tuning run. Defaults are the paper's: α = 0.01, μ = 0.9, K = 4000,
 * stop when LR-PSNR improves by no more than 0.04 dB.
 *
 * @param operator the image formation model A the output must agree with
 * @param learningRate α
 * @param momentum μ
 * @param maxIterations K; 0 only runs the network
 * @param stopRule convergence criterion
 * @param timeBudget wall-clock budget for the loop, or null for none
 * @param keepBest return the weights with the best LR metric of the stop rule instead of the last ones
 * @param extraMetrics LR metrics recorded every iteration (a stop rule may read them)
 * @param lossMargin LR pixels left out of the loss at each border
 */
public record FineTuneOptions(Degradation operator, double learningRate, double momentum, int maxIterations,
    StopRule stopRule, Duration timeBudget, boolean keepBest, List<LrMetric> extraMetrics, int lossMargin) {
  public static final int MAX_ITERATIONS_DEFAULT = 4000;

  public FineTuneOptions {
    if (operator == null) {
      throw new IllegalArgumentException("an image formation model (operator) is required");
    }
    if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("need learning rate > 0 and 0 <= momentum < 1");
    }
    if (maxIterations < 0) {
      throw new IllegalArgumentException("max iterations must be >= 0");
    }
    extraMetrics = List.copyOf(extraMetrics);
  }

  /** The paper's settings for operator A. */
  public static FineTuneOptions defaults(Degradation operator) {
    return new FineTuneOptions(operator, MomentumUpdates.LEARNING_RATE_DEFAULT, MomentumUpdates.MOMENTUM_DEFAULT,
        MAX_ITERATIONS_DEFAULT,
        PlateauStopRule.lrPsnr(PlateauStopRule.LR_PSNR_DELTA_DEFAULT, PlateauStopRule.WINDOW_DEFAULT),
        null, false, List.of(), 0);
  }

  public FineTuneOptions withMaxIterations(int k) {
    return new FineTuneOptions(operator, learningRate, momentum, k, stopRule, timeBudget, keepBest, extraMetrics, lossMargin);
  }

  public FineTuneOptions withStopRule(StopRule rule) {
    return new FineTuneOptions(operator, learningRate, momentum, maxIterations, rule, timeBudget, keepBest, extraMetrics, lossMargin);
  }

  public FineTuneOptions withLearningRate(double lr, double mu) {
    return new FineTuneOptions(operator, lr, mu, maxIterations, stopRule, timeBudget, keepBest, extraMetrics, lossMargin);
  }

  public FineTuneOptions withTimeBudget(Duration budget) {
    return new FineTuneOptions(operator, learningRate, momentum, maxIterations, stopRule, budget, keepBest, extraMetrics, lossMargin);
  }

  public FineTuneOptions withKeepBest(boolean keep) {
    return new FineTuneOptions(operator, learningRate, momentum, maxIterations, stopRule, timeBudget, keep, extraMetrics, lossMargin);
  }

  public FineTuneOptions withExtraMetrics(List<LrMetric> metrics) {
    return new FineTuneOptions(operator, learningRate, momentum, maxIterations, stopRule, timeBudget, keepBest, metrics, lossMargin);
  }
}
