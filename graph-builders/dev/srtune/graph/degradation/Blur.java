package dev.srtune.graph.degradation;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The blur B: same-size 2-D correlation out[i,j] = Σ k[a,b]·x[i+a−ci, j+b−cj] of each colour channel with a
 * {@link BlurKernel}, borders mirrored ('ABC|CBA', MATLAB {@code imfilter(..., 'symmetric')}) as the blur references
 * do. The kernel centre is MATLAB's: ci = ⌊(height−1)/2⌋, cj = ⌊(width−1)/2⌋.
 *
 * <p>The kernel runs as its r separable terms (truncated SVD, exact to float32; a Gaussian is rank 1): a vertical
 * and a horizontal depthwise convolution with channel multiplier r, summed over the terms. On the CPU that is ~3x
 * faster than one 15x15 depthwise convolution even at full rank (131 vs 380-450 ms on 256x256 under load), and
 * ~20x for a Gaussian; Conv2D on colour planes is slower still at stride 1.
 */
public final class Blur {
  private final BlurKernel kernel;
  private final SeparableTerms terms;

  public Blur(BlurKernel kernel) {
    this.kernel = kernel;
    this.terms = SeparableTerms.of(kernel);
  }

  public BlurKernel kernel() {
    return kernel;
  }

  /** The number of separable terms B runs as. */
  public int separableRank() {
    return terms.rank();
  }

  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    Ops scope = tf.withSubScope("blur");
    int kh = kernel.height();
    int kw = kernel.width();
    int top = (kh - 1) / 2;
    int left = (kw - 1) / 2;
    Operand<TFloat32> padded = Padding.pad(scope, x, 1, top, kh - 1 - top, Boundary.SYMMETRIC);
    padded = Padding.pad(scope, padded, 2, left, kw - 1 - left, Boundary.SYMMETRIC);
    return separable(scope, padded);
  }

  private Operand<TFloat32> separable(Ops tf, Operand<TFloat32> padded) {
    int r = terms.rank();
    int kh = kernel.height();
    int kw = kernel.width();
    // Depthwise with channel multiplier r: channel c*r + i of the vertical pass holds term i of colour c.
    double[] vertical = new double[kh * 3 * r];
    for (int a = 0; a < kh; a++) {
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < r; i++) {
          vertical[(a * 3 + c) * r + i] = terms.columns()[a * r + i];
        }
      }
    }
    double[] horizontal = new double[kw * 3 * r];
    for (int b = 0; b < kw; b++) {
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < r; i++) {
          horizontal[(b * 3 + c) * r + i] = terms.rows()[i * kw + b];
        }
      }
    }
    List<Long> ones = List.of(1L, 1L, 1L, 1L);
    Operand<TFloat32> columns = tf.nn.depthwiseConv2dNative(padded,
        tf.constant(Shape.of(kh, 1, 3, r), floats(vertical)), ones, "VALID");
    Operand<TFloat32> both = tf.nn.depthwiseConv2dNative(columns,
        tf.constant(Shape.of(1, kw, 3 * r, 1), floats(horizontal)), ones, "VALID");
    if (r == 1) {
      return both;
    }
    // [1,H,W,3r] -> [1,H,W,3,r], summed over the terms.
    Operand<org.tensorflow.types.TInt32> hw = tf.slice(tf.shape(both), tf.constant(new int[] {0}),
        tf.constant(new int[] {3}));
    Operand<TFloat32> split = tf.reshape(both, tf.concat(List.of(hw, tf.constant(new int[] {3, r})), tf.constant(0)));
    return tf.reduceSum(split, tf.constant(4));
  }

  private static org.tensorflow.ndarray.buffer.FloatDataBuffer floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return DataBuffers.of(f, true, false);
  }

  /** The largest border extension; MirrorPad needs the image to be at least this large. */
  public int radius() {
    return Math.max(kernel.height(), kernel.width()) / 2;
  }

  public String spec() {
    return kernel.spec();
  }
}
