package dev.srtune.tune.loss;

import dev.srtune.UserInputException;
import java.util.Arrays;

/**
 * One non-negative weight per LR pixel of an image, row-major H×W: the mask of {@link WeightedDataFidelity}.
 *
 * @param height LR rows
 * @param width LR columns
 * @param values the weights
 * @param definition how they were made, for the report
 */
public record LrWeights(int height, int width, float[] values, String definition) {

  public LrWeights {
    if (values.length != height * width) {
      throw new IllegalArgumentException(values.length + " weights for a " + height + "x" + width + " image");
    }
    for (float v : values) {
      if (!(v >= 0) || Float.isInfinite(v)) {
        throw new IllegalArgumentException("weights must be finite and >= 0, got " + v);
      }
    }
  }

  /** All ones: the weighted term is then the plain one. */
  public static LrWeights ones(int height, int width) {
    float[] v = new float[height * width];
    Arrays.fill(v, 1f);
    return new LrWeights(height, width, v, "all ones");
  }

  /**
   * Weights from a variance map of the network's output (HR, {@code scale·h × scale·w}). The HR map becomes an LR
   * map u by averaging each s×s block, the footprint of one LR pixel (not by A: bicubic and Lanczos kernels have
   * negative lobes and could make a weight negative). Then:
   * <ul>
   *   <li>{@code quantile} null: soft weights w = u / mean(u), proportional to the uncertainty, mean 1;
   *   <li>{@code quantile} q in [0,1): a hard mask, w = 1 where u is at or above its q-quantile (nearest rank), else
   *       0; e.g. 0.9 keeps the 10% most uncertain LR pixels.
   * </ul>
   * Either way the loss concentrates on where the pretrained network is uncertain, which is where the paper finds
   * its GAN artifacts (Section V-B). A map that is zero everywhere gives no weights and is refused.
   */
  public static LrWeights fromHrVariance(float[] variance, int hrHeight, int hrWidth, int scale, Double quantile) {
    if (hrHeight % scale != 0 || hrWidth % scale != 0 || variance.length != hrHeight * hrWidth) {
      throw new IllegalArgumentException("a " + hrHeight + "x" + hrWidth + " variance map is not x" + scale
          + " of an LR image");
    }
    if (quantile != null && !(quantile >= 0 && quantile < 1)) {
      throw new UserInputException("The mask quantile " + quantile + " is not in [0,1); give e.g. variance:0.9.");
    }
    int h = hrHeight / scale;
    int w = hrWidth / scale;
    float[] u = new float[h * w];
    double total = 0;
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        double s = 0;
        for (int a = 0; a < scale; a++) {
          for (int b = 0; b < scale; b++) {
            s += variance[(i * scale + a) * hrWidth + j * scale + b];
          }
        }
        u[i * w + j] = (float) (s / (scale * scale));
        total += u[i * w + j];
      }
    }
    if (!(total > 0)) {
      throw new UserInputException("The variance map is zero everywhere, so it gives no mask; use a dropout rate "
          + "above 0 (--dropout) or leave out --mask.");
    }
    float[] weights = new float[h * w];
    String definition;
    if (quantile == null) {
      double mean = total / u.length;
      for (int k = 0; k < u.length; k++) {
        weights[k] = (float) (u[k] / mean);
      }
      definition = "soft: LR variance u (HR variance averaged over each scale x scale block) divided by its mean";
    } else {
      float[] sorted = u.clone();
      Arrays.sort(sorted);
      int rank = Math.max(1, (int) Math.ceil(quantile * sorted.length));
      float threshold = sorted[Math.min(sorted.length - 1, rank - 1)];
      for (int k = 0; k < u.length; k++) {
        weights[k] = u[k] >= threshold ? 1f : 0f;
      }
      definition = "hard: 1 where the LR variance u (HR variance averaged over each scale x scale block) is at or "
          + "above its " + quantile + "-quantile (nearest rank), else 0";
    }
    return new LrWeights(h, w, weights, definition);
  }

  /** Mean of the weights. */
  public double mean() {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s / values.length;
  }

  /** Fraction of LR pixels with a weight above 0. */
  public double nonZeroFraction() {
    int n = 0;
    for (float v : values) {
      n += v > 0 ? 1 : 0;
    }
    return (double) n / values.length;
  }
}
