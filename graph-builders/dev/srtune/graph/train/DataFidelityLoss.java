package dev.srtune.graph.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The paper's data-fidelity term ‖A f_ψ(y) − y‖², as the mean over pixels and channels (so its value is the
 * LR mean squared error and LR-PSNR = −10 log10(loss) for [0,1] images). An optional margin of LR pixels
 * is left out at every border, for training on crops whose borders lack context.
 */
public final class DataFidelityLoss {
  private DataFidelityLoss() {}

  /** The loss with {@code margin} a graph value (fed per run: 0 = the whole image). */
  public static Operand<TFloat32> build(Ops tf, Operand<TFloat32> predictedLr, Operand<TFloat32> y,
      Operand<TInt32> margin) {
    Operand<TFloat32> a = crop(tf, predictedLr, margin);
    Operand<TFloat32> b = crop(tf, y, margin);
    return tf.math.mean(tf.math.squaredDifference(a, b), tf.constant(new int[] {0, 1, 2, 3}));
  }

  static Operand<TFloat32> crop(Ops tf, Operand<TFloat32> x, Operand<TInt32> margin) {
    Operand<TInt32> m = tf.reshape(margin, tf.constant(new int[] {1}));
    Operand<TInt32> zero = tf.constant(new int[] {0});
    Operand<TInt32> begin = tf.concat(java.util.List.of(zero, m, m, zero), tf.constant(0));
    Operand<TInt32> twice = tf.math.mul(begin, tf.constant(2));
    return tf.slice(x, begin, tf.math.sub(tf.shape(x), twice));
  }
}
