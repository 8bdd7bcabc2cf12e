package dev.srtune.tune;

import dev.srtune.graph.lpips.Lpips;
import dev.srtune.graph.lpips.LpipsWeights;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * LPIPS v0.1 between A f_ψ(y) and y, the LR metric of the paper's stop rule for GAN models ("the PS metric
 * computed with respect to the low-resolution information", δ = 3e-5). The weights are graph constants.
 */
public record LrLpips(LpipsWeights weights) implements LrMetric {
  public static final String NAME = "lr_lpips";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Operand<TFloat32> build(Ops tf, Operand<TFloat32> predictedLr, Operand<TFloat32> y) {
    // Batch of one: the mean over the batch is that image's distance, as a scalar.
    return tf.math.mean(Lpips.build(tf, weights, predictedLr, y).distance(), tf.constant(0));
  }
}
