package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.baseline.Zssr;
import dev.srtune.baseline.ZssrSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code srtune zssr}: the ZSSR baseline on one LR image. */
@Command(name = "zssr", mixinStandardHelpOptions = true,
    description = "ZSSR (Shocher et al. 2018): train a small network from scratch on the LR image's own downscaled "
        + "pairs (made with A), then super-resolve it; writes sr.png, sr_start.png and report.json like tune.")
public final class ZssrCommand implements Callable<Integer> {
  @Mixin BaselineOptions common;

  @Option(names = "--crop-size", defaultValue = "128",
      description = "Side of the random LR crops trained on (ZSSR's HR fathers). Default: ${DEFAULT-VALUE}.")
  int cropSize;

  @Option(names = "--no-ensemble", description = "Skip the 8-way geometric self-ensemble (one pass on the input).")
  boolean noEnsemble;

  @Option(names = "--back-projections", defaultValue = "10",
      description = "Back-projection steps per output and after the median. Default: ${DEFAULT-VALUE}.")
  int backProjections;

  /** The settings the options give (shared with {@code eval --method zssr}). */
  static ZssrSettings settings(Integer maxIters, Double timeBudget, long seed) {
    return ZssrSettings.published().withLimits(BaselineOptions.iterations(maxIters,
        ZssrSettings.MAX_ITERATIONS_DEFAULT), BaselineOptions.budget(timeBudget)).withSeed(seed);
  }

  @Override
  public Integer call() throws Exception {
    if (cropSize < 2 * common.scale || backProjections < 0) {
      throw new UserInputException("--crop-size must be at least twice the scale and --back-projections 0 or more.");
    }
    ZssrSettings s = settings(common.maxIters, common.timeBudget, common.seed).withCropSize(cropSize)
        .withEnsemble(!noEnsemble, backProjections);
    return common.run("zssr", new Zssr(s));
  }
}
