package dev.srtune.graph.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The paper's data-fidelity term ‖A f_ψ(y) − y‖², as the mean over pixels and channels (so its value is the
 * LR mean squared error and LR-PSNR = −10 log10(loss) for [0,1] images). An optional margin of LR pixels
 * is left out at every border, for training on crops whose borders lack context.
 *
 * <p>{@link #weighted} is the same term with a weight per LR pixel (a mask): the weighted mean
 * Σ w·(A f(y) − y)² / (3 Σ w) over the pixels inside the margin and the three channels. It is normalised by the
 * weights so its size (and so a learning rate) does not depend on how much of the image the mask keeps; with all
 * weights 1 it is the plain term bit for bit (multiplying by 1 and dividing by a mean of ones are exact).
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

  /** BT.601 luma weights of R, G and B. */
  static final float[] LUMA = {0.299f, 0.587f, 0.114f};

  /** The term on the luma of both images only: mean over the LR pixels inside the margin of (Y(A f(y)) − Y(y))². */
  public static Operand<TFloat32> luma(Ops tf, Operand<TFloat32> predictedLr, Operand<TFloat32> y,
      Operand<TInt32> margin) {
    Operand<TFloat32> d = tf.math.sub(crop(tf, predictedLr, margin), crop(tf, y, margin));
    Operand<TFloat32> dy = tf.reduceSum(tf.math.mul(d, tf.constant(LUMA)), tf.constant(3));
    return tf.math.mean(tf.math.square(dy), tf.constant(new int[] {0, 1, 2}));
  }

  /** Smallest mean weight divided by: a batch whose weights are all 0 gives a loss (and gradient) of 0, not NaN. */
  static final float MIN_MEAN_WEIGHT = 1e-12f;

  /**
   * The weighted term; {@code weights} is [B,h,w,1] (one weight per LR pixel of each window, ≥ 0), cut by the
   * same margin as the images.
   */
  public static Operand<TFloat32> weighted(Ops tf, Operand<TFloat32> predictedLr, Operand<TFloat32> y,
      Operand<TInt32> margin, Operand<TFloat32> weights) {
    Operand<TFloat32> a = crop(tf, predictedLr, margin);
    Operand<TFloat32> b = crop(tf, y, margin);
    Operand<TFloat32> w = crop(tf, weights, margin);
    Operand<TInt32> all = tf.constant(new int[] {0, 1, 2, 3});
    Operand<TFloat32> num = tf.math.mean(tf.math.mul(tf.math.squaredDifference(a, b), w), all);
    Operand<TFloat32> den = tf.math.maximum(tf.math.mean(w, all), tf.constant(MIN_MEAN_WEIGHT));
    return tf.math.div(num, den);
  }

  static Operand<TFloat32> crop(Ops tf, Operand<TFloat32> x, Operand<TInt32> margin) {
    Operand<TInt32> m = tf.reshape(margin, tf.constant(new int[] {1}));
    Operand<TInt32> zero = tf.constant(new int[] {0});
    Operand<TInt32> begin = tf.concat(java.util.List.of(zero, m, m, zero), tf.constant(0));
    Operand<TInt32> twice = tf.math.mul(begin, tf.constant(2));
    return tf.slice(x, begin, tf.math.sub(tf.shape(x), twice));
  }
}
