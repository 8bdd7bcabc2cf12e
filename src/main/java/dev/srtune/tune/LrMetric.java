package dev.srtune.tune;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An extra scalar metric computed in the graph every iteration on the predicted LR image A f_ψ(y) and the
 * observation y (both [1,h,w,3] in [0,1]), e.g. LPIPS on the LR data for the GAN stop rule.
 */
public interface LrMetric {
  /** Name in the curve and report, e.g. {@code lr_lpips}. */
  String name();

  Operand<TFloat32> build(Ops tf, Operand<TFloat32> predictedLr, Operand<TFloat32> y);
}
