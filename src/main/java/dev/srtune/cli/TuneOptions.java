package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.degrade.KernelFiles;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.metrics.LpipsWeightFiles;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.LrLpips;
import dev.srtune.tune.PlateauStopRule;
import dev.srtune.tune.StopRule;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The fine-tuning options shared by {@code tune}, {@code demo} and {@code eval} (a picocli mixin). */
public final class TuneOptions {
  @Option(names = "--scale", description = "Super-resolution factor of the LR input (2, 3, 4 or 8).")
  Integer scale;

  @Option(names = "--downsampler", defaultValue = "bicubic",
      description = "Downsampler D of the image formation model A = D∘B: bicubic (MATLAB, clamped borders), "
          + "bicubic-sym (mirrored borders), lanczos3 (PIL). Default: ${DEFAULT-VALUE}.")
  String downsampler;

  @Option(names = "--blur", description = "Blur B applied before downscaling (none by default): gaussian:SIZE:SIGMA, "
      + "gaussian:SIZE:SIGMA1,SIGMA2,THETA, disk:R, kernel:FILE (.npy or text) or random:seed=N[,size=K][,noise=X].")
  String blur;

  @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate α. Default: ${DEFAULT-VALUE}.")
  double learningRate;

  @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum μ. Default: ${DEFAULT-VALUE}.")
  double momentum;

  @Option(names = "--max-iters", description = "Iteration cap K; 0 only runs the network. Default: 4000.")
  Integer maxIters;

  @Option(names = "--stop", defaultValue = "lr-psnr",
      description = "Stop rule: lr-psnr, lr-lpips or none. Default: ${DEFAULT-VALUE}.")
  String stop;

  @Option(names = "--delta", description = "Stop when the LR metric improves by no more than this over the window "
      + "(default 0.04 dB for lr-psnr, 3e-5 for lr-lpips).")
  Double delta;

  @Option(names = "--window", defaultValue = "" + PlateauStopRule.WINDOW_DEFAULT,
      description = "Iterations over which the improvement is measured. Default: ${DEFAULT-VALUE}.")
  int window;

  @Option(names = "--time-budget", description = "Stop after this many seconds of fine-tuning.")
  Double timeBudget;

  @Option(names = "--keep-best", description = "Return the weights with the best LR metric, not the last ones.")
  boolean keepBest;

  /** LPIPS for lr_lpips (every iteration) and hr_lpips in the report, when weights are found; needed by lr-lpips. */
  @Mixin LpipsOptions lpips = new LpipsOptions();

  int scaleOr(int fallback) {
    return scale != null ? scale : fallback;
  }

  Degradation operator(int s) {
    try {
      return Degradations.operator(blur, downsampler, s, KernelFiles.INSTANCE);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
  }

  StopRule stopRule() {
    return switch (stop) {
      case "lr-psnr" -> PlateauStopRule.lrPsnr(delta != null ? delta : PlateauStopRule.LR_PSNR_DELTA_DEFAULT, window);
      case "none" -> StopRule.none();
      case "lr-lpips" -> PlateauStopRule.lrLpips(delta != null ? delta : PlateauStopRule.LR_LPIPS_DELTA_DEFAULT, window);
      default -> throw new UserInputException("Unknown --stop '" + stop + "'; use lr-psnr, lr-lpips or none.");
    };
  }

  FineTuneOptions toOptions(int s, int defaultMaxIters) {
    if (window < 1) {
      throw new UserInputException("--window must be at least 1.");
    }
    if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1)) {
      throw new UserInputException("Use --lr > 0 and 0 <= --momentum < 1.");
    }
    int k = maxIters != null ? maxIters : defaultMaxIters;
    if (k < 0) {
      throw new UserInputException("--max-iters must be 0 or more.");
    }
    FineTuneOptions o = FineTuneOptions.defaults(operator(s)).withLearningRate(learningRate, momentum)
        .withMaxIterations(k).withStopRule(stopRule()).withKeepBest(keepBest);
    Optional<LpipsWeightFiles> lpipsFiles = lpips.files(stop.equals("lr-lpips"));
    if (lpipsFiles.isPresent()) {
      o = o.withExtraMetrics(List.of(new LrLpips(lpipsFiles.get().load())));
    }
    if (timeBudget != null) {
      if (!(timeBudget > 0)) {
        throw new UserInputException("--time-budget must be a positive number of seconds.");
      }
      o = o.withTimeBudget(Duration.ofMillis((long) (timeBudget * 1000)));
    }
    return o;
  }
}
