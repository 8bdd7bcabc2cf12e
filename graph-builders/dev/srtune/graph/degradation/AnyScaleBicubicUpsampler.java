package dev.srtune.graph.degradation;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link BicubicUpsampler}'s enlargement (MATLAB {@code imresize(x, s, 'bicubic')}, Keys a = −0.5, four taps of five
 * offsets, weights normalised, borders replicated, height first) with the factor a tensor of the graph rather than a
 * number fixed while building: the phase weights are computed in the graph from it. A pre-upsampling network's
 * SavedModel takes its scale from one constant this reads, so the same graph runs at another scale when only that
 * constant changes.
 */
public final class AnyScaleBicubicUpsampler {
  private static final int RADIUS = 2;

  private AnyScaleBicubicUpsampler() {}

  /** {@code x} [1,h,w,c] enlarged to [1,s·h,s·w,c]; {@code scale} an int32 scalar ≥ 1. */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TInt32> scale) {
    Ops scope = tf.withSubScope("bicubic_up_any_scale");
    Operand<TFloat32> weights = weights(scope, scale);
    return pass(scope, pass(scope, x, 1, scale, weights), 2, scale, weights);
  }

  /** [5, s]: tap j (offset j − 2) of phase p, normalised over the taps. */
  private static Operand<TFloat32> weights(Ops tf, Operand<TInt32> scale) {
    Operand<TFloat32> s = tf.dtypes.cast(scale, TFloat32.class);
    Operand<TFloat32> p = tf.dtypes.cast(tf.range(tf.constant(0), scale, tf.constant(1)), TFloat32.class);
    Operand<TFloat32> centre = tf.math.sub(tf.math.div(tf.math.add(p, tf.constant(0.5f)), s), tf.constant(0.5f));
    Operand<TFloat32> offsets = tf.constant(new float[][] {{-2}, {-1}, {0}, {1}, {2}});
    Operand<TFloat32> d = tf.math.abs(tf.math.sub(tf.expandDims(centre, tf.constant(0)), offsets));
    Operand<TFloat32> d2 = tf.math.mul(d, d);
    Operand<TFloat32> d3 = tf.math.mul(d2, d);
    // Keys, a = −0.5: |x| ≤ 1: 1.5|x|³ − 2.5|x|² + 1; 1 < |x| ≤ 2: −0.5|x|³ + 2.5|x|² − 4|x| + 2; else 0.
    Operand<TFloat32> inner = tf.math.add(tf.math.sub(tf.math.mul(tf.constant(1.5f), d3),
        tf.math.mul(tf.constant(2.5f), d2)), tf.constant(1f));
    Operand<TFloat32> outer = tf.math.add(tf.math.sub(tf.math.add(tf.math.mul(tf.constant(-0.5f), d3),
        tf.math.mul(tf.constant(2.5f), d2)), tf.math.mul(tf.constant(4f), d)), tf.constant(2f));
    Operand<TFloat32> zero = tf.zerosLike(d);
    Operand<TFloat32> w = tf.select(tf.math.lessEqual(d, tf.constant(1f)), inner,
        tf.select(tf.math.lessEqual(d, tf.constant(2f)), outer, zero));
    return tf.math.div(w, tf.sum(w, tf.constant(0), org.tensorflow.op.core.Sum.keepDims(true)));
  }

  private static Operand<TFloat32> pass(Ops tf, Operand<TFloat32> x, int axis, Operand<TInt32> scale,
      Operand<TFloat32> weights) {
    Operand<TFloat32> padded = Padding.pad(tf, x, axis, RADIUS, RADIUS, Boundary.REPLICATE);
    Operand<TInt32> shape = tf.shape(x);
    List<Operand<TFloat32>> taps = new ArrayList<>();
    for (int j = 0; j <= 2 * RADIUS; j++) {
      int[] begin = new int[4];
      begin[axis] = j;
      taps.add(tf.slice(padded, tf.constant(begin), shape));
    }
    // [1,h,w,c,5] · [5,s] → [1,h,w,c,s], then each phase after its source sample along the axis.
    Operand<TFloat32> stacked = tf.stack(taps, org.tensorflow.op.core.Stack.axis(4L));
    Operand<TFloat32> flat = tf.reshape(stacked, tf.constant(new int[] {-1, 2 * RADIUS + 1}));
    Operand<TFloat32> phases = tf.linalg.matMul(flat, weights);
    Operand<TFloat32> split = tf.reshape(phases, tf.concat(List.of(shape, tf.expandDims(scale, tf.constant(0))),
        tf.constant(0)));
    int[] perm = axis == 1 ? new int[] {0, 1, 4, 2, 3} : new int[] {0, 1, 2, 4, 3};
    Operand<TInt32> factor = tf.math.add(tf.math.mul(tf.constant(axis == 1 ? new int[] {0, 1, 0, 0}
        : new int[] {0, 0, 1, 0}), tf.math.sub(scale, tf.constant(1))), tf.constant(new int[] {1, 1, 1, 1}));
    return tf.reshape(tf.linalg.transpose(split, tf.constant(perm)), tf.math.mul(shape, factor));
  }
}
