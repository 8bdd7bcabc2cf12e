package dev.srtune.graph.degradation;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Differentiable border extension of NHWC images along one spatial axis. */
public final class Padding {
  private Padding() {}

  /**
   * Pads {@code before}/{@code after} samples on spatial {@code axis} (1 = height, 2 = width).
   * Replicate padding is built from repeated one-sample symmetric mirror pads, since MirrorPad has a
   * registered gradient and TensorFlow has no edge-mode pad.
   */
  public static Operand<TFloat32> pad(Ops tf, Operand<TFloat32> x, int axis, int before, int after, Boundary boundary) {
    if (before == 0 && after == 0) {
      return x;
    }
    if (boundary == Boundary.SYMMETRIC) {
      return tf.mirrorPad(x, paddings(tf, axis, before, after), "SYMMETRIC");
    }
    Operand<TFloat32> y = x;
    for (int i = 0; i < Math.max(before, after); i++) {
      y = tf.mirrorPad(y, paddings(tf, axis, i < before ? 1 : 0, i < after ? 1 : 0), "SYMMETRIC");
    }
    return y;
  }

  private static Operand<org.tensorflow.types.TInt32> paddings(Ops tf, int axis, int before, int after) {
    int[][] p = new int[4][2];
    p[axis][0] = before;
    p[axis][1] = after;
    return tf.constant(p);
  }
}
