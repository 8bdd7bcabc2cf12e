package dev.srtune.uncertainty;

import dev.srtune.UserInputException;
import dev.srtune.graph.dropout.DropoutPlacement;
import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;

/**
 * How a variance map is made: N passes with dropout at rate p after every convolution block, masks from one seed.
 * Two maps made with equal settings differ only by the network's weights (the before/after comparison of Figure 9).
 *
 * @param passes N ≥ 2
 * @param rate p in [0,1)
 * @param seed seed of the dropout masks
 */
public record McDropoutSettings(int passes, double rate, long seed) {
  /** The paper's 50 passes. */
  public static final int PASSES_DEFAULT = 50;
  /** The paper's p = 0.0005. */
  public static final double RATE_DEFAULT = 0.0005;

  public McDropoutSettings {
    if (passes < 2) {
      throw new UserInputException("A variance needs at least 2 dropout passes, not " + passes
          + "; give e.g. 50 (the paper's).");
    }
    if (!(rate >= 0 && rate < 1)) {
      throw new UserInputException("--dropout " + rate + " is not a rate in [0,1); give e.g. 0.0005.");
    }
  }

  /** Dropout between the convolution blocks (the paper's placement). */
  public DropoutPlacement placement() {
    return DropoutPlacement.blocks();
  }

  /**
   * The variance map of {@code model} as saved on disk (McDropoutNetwork restores from its checkpoint) for LR image
   * {@code y}, one pass per session run (batching passes did not make a pass cheaper on CPU:
   * docs/results/uncertainty).
   */
  public UncertaintyEstimate estimate(SrModel model, RgbImage y, UncertaintyEstimate.Progress progress) {
    try (McDropoutNetwork net = McDropoutNetwork.insert(model, placement(), rate, 1)) {
      return UncertaintyEstimate.run(net, y, passes, seed, progress);
    }
  }
}
