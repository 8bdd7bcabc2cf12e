package dev.srtune.baseline;

import dev.srtune.graph.zssr.ZssrNetwork;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ZSSR's settings; {@link #published()} are the defaults of the authors' {@code configs.py} (X2 config): 8 layers
 * of 64 channels, Adam at 1e-3, L1 loss, 128×128 crops, a reconstruction test every 50 iterations, the rate divided
 * by 10 when the fit over the last 256 iterations says the error stopped falling (checked every 60 iterations, at
 * least 256 iterations after the last change, ratio 1.5), stop once the rate is below 9e-6 (i.e. at 1e-6) or at
 * 3000 iterations, then the 8-way geometric self-ensemble (median) with 10 back-projection steps per output and
 * 10 after the median.
 *
 * @param timeBudget stop training after this long (null: no limit); the self-ensemble runs after it
 * @param ensemble the 8-way self-ensemble (false: one pass on the input as is)
 * @param backProjections back-projection steps per output and after the median (0: none)
 */
public record ZssrSettings(int maxIterations, Duration timeBudget, int cropSize, double learningRate,
    double minLearningRate, int policyCheckEvery, int slopeRange, int testEvery, int minIterationsBetweenChanges,
    double changeRatio, boolean ensemble, int backProjections, int depth, int width, long seed) {

  public static final int MAX_ITERATIONS_DEFAULT = 3000;

  public ZssrSettings {
    if (maxIterations < 0 || cropSize < 1 || !(learningRate > 0) || testEvery < 1 || policyCheckEvery < 1
        || slopeRange < testEvery * (SlopeTest.DOF_SUBTRACTED + 1) || backProjections < 0) {
      throw new IllegalArgumentException("invalid ZSSR settings");
    }
  }

  public static ZssrSettings published() {
    return new ZssrSettings(MAX_ITERATIONS_DEFAULT, null, 128, 1e-3, 9e-6, 60, 256, 50, 256, 1.5, true, 10,
        ZssrNetwork.DEPTH_DEFAULT, ZssrNetwork.WIDTH_DEFAULT, 0);
  }

  public ZssrSettings withLimits(int maxIterations, Duration timeBudget) {
    return new ZssrSettings(maxIterations, timeBudget, cropSize, learningRate, minLearningRate, policyCheckEvery,
        slopeRange, testEvery, minIterationsBetweenChanges, changeRatio, ensemble, backProjections, depth, width,
        seed);
  }

  public ZssrSettings withSeed(long seed) {
    return new ZssrSettings(maxIterations, timeBudget, cropSize, learningRate, minLearningRate, policyCheckEvery,
        slopeRange, testEvery, minIterationsBetweenChanges, changeRatio, ensemble, backProjections, depth, width,
        seed);
  }

  public ZssrSettings withEnsemble(boolean ensemble, int backProjections) {
    return new ZssrSettings(maxIterations, timeBudget, cropSize, learningRate, minLearningRate, policyCheckEvery,
        slopeRange, testEvery, minIterationsBetweenChanges, changeRatio, ensemble, backProjections, depth, width,
        seed);
  }

  public ZssrSettings withCropSize(int cropSize) {
    return new ZssrSettings(maxIterations, timeBudget, cropSize, learningRate, minLearningRate, policyCheckEvery,
        slopeRange, testEvery, minIterationsBetweenChanges, changeRatio, ensemble, backProjections, depth, width,
        seed);
  }

  /** The learning-rate test these settings run. */
  public SlopeTest slopeTest() {
    return new SlopeTest(changeRatio);
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("network", depth + " conv 3x3 layers, " + width + " channels, ReLU, no biases, residual over the bicubic "
        + "enlargement");
    m.put("loss", "L1 between the network's output on the bicubic enlargement of A(crop) and the crop");
    m.put("optimizer", "adam:beta1=0.9,beta2=0.999,eps=1e-08");
    m.put("learning_rate", learningRate);
    m.put("min_learning_rate", minLearningRate);
    m.put("learning_rate_policy", String.format(java.util.Locale.ROOT, "divide by 10 when -%s x slope < std of "
        + "the linear fit of the last %d iterations' reconstruction MSE (tested every %d), checked every %d "
        + "iterations and at least %d after the last change", changeRatio, slopeRange, testEvery, policyCheckEvery,
        minIterationsBetweenChanges));
    m.put("crop_size", cropSize);
    m.put("augmentation", "random crop, one of the 8 dihedral transforms");
    m.put("max_iterations", maxIterations);
    m.put("time_budget_seconds", timeBudget == null ? null : timeBudget.toMillis() / 1000.0);
    m.put("self_ensemble", ensemble ? "8 dihedral transforms, median" : "none");
    m.put("back_projections", backProjections);
    m.put("seed", seed);
    return m;
  }
}
