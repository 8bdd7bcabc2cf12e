package dev.srtune.baseline;

import dev.srtune.graph.dip.SkipHourglass;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deep Image Prior's settings; {@link #published()} are those of the authors' super-resolution notebook for ×4
 * (2000 Adam iterations at 0.01, input noise regularisation σ = 0.03, a 32-channel input of U(0, 0.1) noise, the skip
 * network with 128 channels, 4 skip channels and 5 scales). The notebook gives ×4 and ×8 (4000 iterations,
 * σ = 0.05) only; srtune uses the ×4 settings for ×2 and ×3 too.
 *
 * @param width channels of every encoder/decoder convolution (128 published; fewer to fit a CPU)
 * @param noiseStd σ of the Gaussian noise added to the input z at every iteration (the published regulariser)
 * @param timeBudget stop after this long (null: no limit)
 */
public record DipSettings(int maxIterations, Duration timeBudget, double learningRate, double noiseStd,
    int inputDepth, double inputScale, int width, int skipChannels, int scales, long seed) {

  public static final int MAX_ITERATIONS_DEFAULT = 2000;

  public DipSettings {
    if (maxIterations < 0 || !(learningRate > 0) || !(noiseStd >= 0) || inputDepth < 1 || width < 1
        || skipChannels < 0 || scales < 1) {
      throw new IllegalArgumentException("invalid DIP settings");
    }
  }

  public static DipSettings published() {
    return new DipSettings(MAX_ITERATIONS_DEFAULT, null, 0.01, 0.03, SkipHourglass.INPUT_DEPTH_DEFAULT, 0.1,
        SkipHourglass.WIDTH_DEFAULT, SkipHourglass.SKIP_DEFAULT, SkipHourglass.SCALES_DEFAULT, 0);
  }

  public DipSettings withLimits(int maxIterations, Duration timeBudget) {
    return new DipSettings(maxIterations, timeBudget, learningRate, noiseStd, inputDepth, inputScale, width,
        skipChannels, scales, seed);
  }

  public DipSettings withWidth(int width) {
    return new DipSettings(maxIterations, timeBudget, learningRate, noiseStd, inputDepth, inputScale, width,
        skipChannels, scales, seed);
  }

  public DipSettings withScales(int scales) {
    return new DipSettings(maxIterations, timeBudget, learningRate, noiseStd, inputDepth, inputScale, width,
        skipChannels, scales, seed);
  }

  public DipSettings withSeed(long seed) {
    return new DipSettings(maxIterations, timeBudget, learningRate, noiseStd, inputDepth, inputScale, width,
        skipChannels, scales, seed);
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("network", "skip hourglass, " + scales + " scales, " + width + " channels down/up, " + skipChannels
        + " skip channels, bilinear upsampling, reflection padding, LeakyReLU(0.2), batch norm (batch statistics)");
    m.put("input", inputDepth + " channels of U(0," + inputScale + ") noise, fixed by the seed, at the HR size "
        + "rounded up to a multiple of " + SkipHourglass.multiple(scales) + " (the output is centre-cropped)");
    m.put("input_noise_std", noiseStd);
    m.put("loss", "mean squared error of A(h(z)) vs y");
    m.put("optimizer", "adam:beta1=0.9,beta2=0.999,eps=1e-08");
    m.put("learning_rate", learningRate);
    m.put("max_iterations", maxIterations);
    m.put("time_budget_seconds", timeBudget == null ? null : timeBudget.toMillis() / 1000.0);
    m.put("seed", seed);
    return m;
  }
}
