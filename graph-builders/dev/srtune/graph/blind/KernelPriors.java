package dev.srtune.graph.blind;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The priors a blur kernel estimate is held to, as graph ops on a kernel k [K,K] that is already non-negative and
 * sums to one (the {@link KernelVariable} parametrisation gives both). Each returns a scalar; weights are the
 * caller's.
 *
 * <ul>
 *   <li>{@link #centring}: squared distance, in taps, of k's centre of mass from the kernel centre c = (K−1)/2
 *       (B is followed by a centred downsampler, so a shifted kernel would shift the whole image);</li>
 *   <li>{@link #border}: Σ k·m with m = (r/c)⁴, r the distance from the centre: mass far from the centre costs,
 *       near it almost nothing (KernelGAN's "boundaries" prior in a smooth form);</li>
 *   <li>{@link #sparsity}: Σ √(k + ε), smallest for a kernel with few large taps (KernelGAN's sparsity prior with
 *       exponent ½).</li>
 * </ul>
 */
public final class KernelPriors {
  private KernelPriors() {}

  public static Operand<TFloat32> centring(Ops tf, Operand<TFloat32> kernel, int size) {
    double c = (size - 1) / 2.0;
    float[] rows = new float[size * size];
    float[] cols = new float[size * size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        rows[i * size + j] = (float) (i - c);
        cols[i * size + j] = (float) (j - c);
      }
    }
    Operand<TFloat32> dy = tf.reduceSum(tf.math.mul(kernel, grid(tf, size, rows)), tf.constant(new int[] {0, 1}));
    Operand<TFloat32> dx = tf.reduceSum(tf.math.mul(kernel, grid(tf, size, cols)), tf.constant(new int[] {0, 1}));
    return tf.math.add(tf.math.mul(dy, dy), tf.math.mul(dx, dx));
  }

  public static Operand<TFloat32> border(Ops tf, Operand<TFloat32> kernel, int size) {
    return tf.reduceSum(tf.math.mul(kernel, grid(tf, size, borderMask(size))), tf.constant(new int[] {0, 1}));
  }

  public static Operand<TFloat32> sparsity(Ops tf, Operand<TFloat32> kernel) {
    return tf.reduceSum(tf.math.sqrt(tf.math.add(kernel, tf.constant(1e-8f))), tf.constant(new int[] {0, 1}));
  }

  /** m = (r/c)⁴, r the Euclidean distance of a tap from the centre c = (K−1)/2 (0 for K = 1). */
  static float[] borderMask(int size) {
    double c = (size - 1) / 2.0;
    float[] m = new float[size * size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        double r2 = c == 0 ? 0 : ((i - c) * (i - c) + (j - c) * (j - c)) / (c * c);
        m[i * size + j] = (float) (r2 * r2);
      }
    }
    return m;
  }

  private static Operand<TFloat32> grid(Ops tf, int size, float[] values) {
    return tf.constant(Shape.of(size, size), DataBuffers.of(values, true, false));
  }
}
