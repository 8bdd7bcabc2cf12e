package dev.srtune.tune;

import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.train.Optimizer;
import dev.srtune.graph.train.SgdMomentum;
import dev.srtune.tune.loss.DataFidelity;
import dev.srtune.tune.loss.LossTerm;
import java.time.Duration;
import java.util.List;

/**
 * Everything that configures one fine-tuning run, as the parts Algorithm 1 is made of: what each iteration sees
 * ({@link Sampler}), how the weights move ({@link Optimizer}, {@link LearningRateSchedule}), when to stop
 * ({@link StopRule}, read from whole-image LR metrics measured every {@code measureEvery} iterations).
 * {@link #paper} is Algorithm 1 as published; {@link Schedules#fast} is what the CLI runs by default. How the
 * session computes (precision, tiled passes) is not here but in {@link SessionSettings}: it changes how, not what.
 *
 * @param operator the image formation model A the output must agree with
 * @param optimizer SGD + momentum (the paper's) or Adam
 * @param schedule learning rate over iterations
 * @param sampler whole image (the paper's) or random crops
 * @param measureEvery whole-image LR metrics (for the stop rule, keep-best and the curve) every this many iterations;
 *     with the whole-image sampler they come free with each iteration's forward pass
 * @param maxIterations K; 0 only runs the network
 * @param stopRule convergence criterion on the whole-image LR metrics
 * @param timeBudget wall-clock budget for the loop, or null for none
 * @param keepBest return the weights with the best measured LR metric of the stop rule instead of the last ones
 * @param extraMetrics LR metrics recorded at every measurement (a stop rule may read them)
 * @param name the named schedule these options came from ({@code paper}, {@code fast}) or {@code custom}
 * @param lossTerms what the loop minimises, summed: exactly one data-fidelity term (the paper's plain one by
 *     default, or a masked one) and any regularisers; the whole-image LR metrics stay the plain LR MSE
 * @param trainLayers which of the network's weights train ({@link TrainLayers#ALL}, the paper's, by default)
 */
public record FineTuneOptions(Degradation operator, Optimizer optimizer, LearningRateSchedule schedule,
    Sampler sampler, int measureEvery, int maxIterations, StopRule stopRule, Duration timeBudget, boolean keepBest,
    List<LrMetric> extraMetrics, String name, List<LossTerm> lossTerms, TrainLayers trainLayers) {
  public static final int MAX_ITERATIONS_DEFAULT = 4000;

  public FineTuneOptions {
    if (operator == null || optimizer == null || schedule == null || sampler == null || stopRule == null) {
      throw new IllegalArgumentException("operator, optimizer, schedule, sampler and stop rule are required");
    }
    if (maxIterations < 0) {
      throw new IllegalArgumentException("max iterations must be >= 0");
    }
    if (measureEvery < 1) {
      throw new IllegalArgumentException("measure-every must be >= 1");
    }
    extraMetrics = List.copyOf(extraMetrics);
    trainLayers = trainLayers == null ? TrainLayers.ALL : trainLayers;
    lossTerms = lossTerms == null ? List.of(DataFidelity.PLAIN) : List.copyOf(lossTerms);
    // A JPEG's blocks lie on a grid: the windows start on it when A or a term models them.
    sampler = sampler.aligned(windowAlignment(operator, lossTerms));
    if (lossTerms.stream().filter(LossTerm::dataFidelity).count() != 1) {
      throw new IllegalArgumentException("the objective needs exactly one data-fidelity term, got " + lossTerms);
    }
  }

  /** Algorithm 1 as published, for operator A: whole image, SGD α 0.01 μ 0.9, LR-PSNR δ 0.04 dB, K 4000. */
  public static FineTuneOptions paper(Degradation operator) {
    return new FineTuneOptions(operator, SgdMomentum.paper(),
        LearningRateSchedule.constant(SgdMomentum.LEARNING_RATE_DEFAULT), Sampler.FullImage.INSTANCE, 1,
        MAX_ITERATIONS_DEFAULT,
        PlateauStopRule.lrPsnr(PlateauStopRule.LR_PSNR_DELTA_DEFAULT, PlateauStopRule.WINDOW_DEFAULT),
        null, false, List.of(), "paper", List.of(DataFidelity.PLAIN), TrainLayers.ALL);
  }

  /** The paper's settings ({@link #paper}); the library's default, so results match the publication. */
  public static FineTuneOptions defaults(Degradation operator) {
    return paper(operator);
  }

  /** LR windows start at multiples of this: the grid of A or of a term (a JPEG's MCU), else 1. */
  public int windowAlignment() {
    return windowAlignment(operator, lossTerms);
  }

  private static int windowAlignment(Degradation a, List<LossTerm> terms) {
    return Math.max(a.windowAlignment(), terms.stream().mapToInt(LossTerm::windowAlignment).max().orElse(1));
  }

  /** The base learning rate (the schedule's start). */
  public double learningRate() {
    return schedule.base();
  }

  /** μ of SGD + momentum, or NaN for another optimiser. */
  public double momentum() {
    return optimizer instanceof SgdMomentum s ? s.momentum() : Double.NaN;
  }

  /** The same options for another image formation model (e.g. A with the LR file's JPEG compression). */
  public FineTuneOptions withOperator(Degradation a) {
    return new FineTuneOptions(a, optimizer, schedule, sampler, measureEvery, maxIterations, stopRule, timeBudget,
        keepBest, extraMetrics, name, lossTerms, trainLayers);
  }

  public FineTuneOptions withMaxIterations(int k) {
    return new FineTuneOptions(operator, optimizer, schedule, sampler, measureEvery, k, stopRule, timeBudget, keepBest,
        extraMetrics, name, lossTerms, trainLayers);
  }

  public FineTuneOptions withStopRule(StopRule rule) {
    return new FineTuneOptions(operator, optimizer, schedule, sampler, measureEvery, maxIterations, rule, timeBudget,
        keepBest, extraMetrics, custom(rule.equals(stopRule)), lossTerms, trainLayers);
  }

  /** SGD + momentum μ at the constant learning rate α. */
  public FineTuneOptions withLearningRate(double lr, double mu) {
    return withOptimizer(new SgdMomentum(mu), LearningRateSchedule.constant(lr));
  }

  public FineTuneOptions withOptimizer(Optimizer o, LearningRateSchedule s) {
    return new FineTuneOptions(operator, o, s, sampler, measureEvery, maxIterations, stopRule, timeBudget, keepBest,
        extraMetrics, custom(o.equals(optimizer) && s.equals(schedule)), lossTerms, trainLayers);
  }

  public FineTuneOptions withSampler(Sampler s, int every) {
    return new FineTuneOptions(operator, optimizer, schedule, s, every, maxIterations, stopRule, timeBudget, keepBest,
        extraMetrics, custom(s.equals(sampler) && every == measureEvery), lossTerms, trainLayers);
  }

  public FineTuneOptions withTimeBudget(Duration budget) {
    return new FineTuneOptions(operator, optimizer, schedule, sampler, measureEvery, maxIterations, stopRule, budget,
        keepBest, extraMetrics, name, lossTerms, trainLayers);
  }

  public FineTuneOptions withKeepBest(boolean keep) {
    return new FineTuneOptions(operator, optimizer, schedule, sampler, measureEvery, maxIterations, stopRule,
        timeBudget, keep, extraMetrics, name, lossTerms, trainLayers);
  }

  public FineTuneOptions withExtraMetrics(List<LrMetric> metrics) {
    return new FineTuneOptions(operator, optimizer, schedule, sampler, measureEvery, maxIterations, stopRule,
        timeBudget, keepBest, metrics, name, lossTerms, trainLayers);
  }

  /** The same options minimising the sum of {@code terms} (exactly one of them a data-fidelity term). */
  public FineTuneOptions withLossTerms(List<LossTerm> terms) {
    return new FineTuneOptions(operator, optimizer, schedule, sampler, measureEvery, maxIterations, stopRule,
        timeBudget, keepBest, extraMetrics, custom(terms.equals(lossTerms)), terms, trainLayers);
  }

  /** The same options training only the weights {@code layers} selects. */
  public FineTuneOptions withTrainLayers(TrainLayers layers) {
    return new FineTuneOptions(operator, optimizer, schedule, sampler, measureEvery, maxIterations, stopRule,
        timeBudget, keepBest, extraMetrics, custom(layers.equals(trainLayers)), lossTerms, layers);
  }

  /** Renames the bundle (e.g. after a named schedule's stop rule was swapped for the LPIPS one). */
  public FineTuneOptions named(String n) {
    return new FineTuneOptions(operator, optimizer, schedule, sampler, measureEvery, maxIterations, stopRule,
        timeBudget, keepBest, extraMetrics, n, lossTerms, trainLayers);
  }

  private String custom(boolean unchanged) {
    return unchanged ? name : "custom";
  }
}
