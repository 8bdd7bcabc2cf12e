package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.baseline.Dip;
import dev.srtune.baseline.DipSettings;
import dev.srtune.graph.dip.SkipHourglass;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code srtune dip}: the Deep Image Prior baseline on one LR image. */
@Command(name = "dip", mixinStandardHelpOptions = true,
    description = "Deep Image Prior (Ulyanov et al. 2018): fit a randomly initialised hourglass network from a fixed "
        + "random input so that A h(z) matches y; writes sr.png, sr_start.png and report.json like tune.")
public final class DipCommand implements Callable<Integer> {
  @Mixin BaselineOptions common;

  @Option(names = "--width", defaultValue = "" + SkipHourglass.WIDTH_DEFAULT, description = "Channels of every "
      + "encoder/decoder convolution: 128 as published; fewer (e.g. 32) cost about (width/128)^2 as much per "
      + "iteration. Default: ${DEFAULT-VALUE}.")
  int width;

  @Option(names = "--scales", defaultValue = "" + SkipHourglass.SCALES_DEFAULT, description = "Levels of the "
      + "hourglass: 5 as published; fewer make a smaller network and a faster graph build. Default: "
      + "${DEFAULT-VALUE}.")
  int scales;

  static DipSettings settings(Integer maxIters, Double timeBudget, long seed, int width, int scales) {
    if (width < 1 || scales < 1 || scales > 8) {
      throw new UserInputException("--width must be at least 1 and --scales from 1 to 8.");
    }
    return DipSettings.published().withLimits(BaselineOptions.iterations(maxIters, DipSettings.MAX_ITERATIONS_DEFAULT),
        BaselineOptions.budget(timeBudget)).withSeed(seed).withWidth(width).withScales(scales);
  }

  @Override
  public Integer call() throws Exception {
    return common.run("dip", new Dip(settings(common.maxIters, common.timeBudget, common.seed, width, scales)));
  }
}
