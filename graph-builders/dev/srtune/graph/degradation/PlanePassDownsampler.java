package dev.srtune.graph.degradation;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A separable downsampler whose 1-D passes are strided convolutions on colour planes ({@link ColourPlanes}):
 * subclasses give one pass; running both passes in {@link #passOrder()} is shared here.
 */
abstract class PlanePassDownsampler implements SeparableDownsampler {

  /** One 1-D pass along {@code axis} (1 = height, 2 = width) on colour planes [3,H,W,1]. */
  abstract Operand<TFloat32> planePass(Ops tf, Operand<TFloat32> planes, int axis);

  /** Name scope of the ops {@link #apply} adds, e.g. {@code bicubic_down_x2}. */
  abstract String scopeName();

  @Override
  public final Operand<TFloat32> apply(Ops tf, Operand<TFloat32> hr) {
    if (scale() == 1) {
      return hr;
    }
    Ops scope = tf.withSubScope(scopeName());
    Operand<TFloat32> planes = ColourPlanes.split(scope, hr);
    for (int axis : passOrder()) {
      planes = planePass(scope, planes, axis);
    }
    return ColourPlanes.merge(scope, planes);
  }

  /** Correlation of every plane with {@code taps} along {@code axis}, strided by the scale, 'VALID'. */
  final Operand<TFloat32> stridedTaps(Ops tf, Operand<TFloat32> planes, double[] taps, int axis) {
    float[] k = new float[taps.length];
    for (int j = 0; j < taps.length; j++) {
      k[j] = (float) taps[j];
    }
    Shape shape = axis == 1 ? Shape.of(taps.length, 1, 1, 1) : Shape.of(1, taps.length, 1, 1);
    Operand<TFloat32> filter = tf.constant(shape, DataBuffers.of(k, true, false));
    int s = scale();
    return dev.srtune.graph.ops.StridedConvolution.valid(tf, planes, filter, axis == 1 ? s : 1, axis == 1 ? 1 : s);
  }

  @Override
  public final Operand<TFloat32> pass(Ops tf, Operand<TFloat32> x, int axis) {
    return ColourPlanes.merge(tf, planePass(tf, ColourPlanes.split(tf, x), axis));
  }
}
