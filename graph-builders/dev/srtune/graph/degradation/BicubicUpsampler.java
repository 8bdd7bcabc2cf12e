package dev.srtune.graph.degradation;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * MATLAB {@code imresize(x, s, 'bicubic')} for an integer factor s (no antialiasing when enlarging): output o
 * (0-based) samples input coordinate (o + 0.5)/s − 0.5 with the Keys cubic (a = −0.5), four taps, weights
 * normalised. Each of the s phases is a 5-tap convolution; the phases are interleaved. Height first.
 * Used for the bicubic baseline.
 */
public final class BicubicUpsampler {
  private static final int RADIUS = 2;
  private final int scale;
  private final Boundary boundary;

  public BicubicUpsampler(int scale, Boundary boundary) {
    this.scale = scale;
    this.boundary = boundary;
  }

  /** Taps at offsets −2..2 for phase p. */
  static double[] phaseTaps(int s, int p) {
    double centre = (p + 0.5) / s - 0.5;
    double[] w = new double[2 * RADIUS + 1];
    double sum = 0;
    for (int j = -RADIUS; j <= RADIUS; j++) {
      w[j + RADIUS] = BicubicDownsampler.cubic(centre - j);
      sum += w[j + RADIUS];
    }
    for (int j = 0; j < w.length; j++) {
      w[j] /= sum;
    }
    return w;
  }

  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> lr) {
    if (scale == 1) {
      return lr;
    }
    Ops scope = tf.withSubScope("bicubic_up_x" + scale);
    return pass(scope, pass(scope, lr, 1), 2);
  }

  private Operand<TFloat32> pass(Ops tf, Operand<TFloat32> x, int axis) {
    Operand<TFloat32> padded = Padding.pad(tf, x, axis, RADIUS, RADIUS, boundary);
    List<Operand<TFloat32>> phases = new ArrayList<>();
    for (int p = 0; p < scale; p++) {
      double[] taps = phaseTaps(scale, p);
      float[] k = new float[taps.length * 3];
      for (int j = 0; j < taps.length; j++) {
        for (int c = 0; c < 3; c++) {
          k[j * 3 + c] = (float) taps[j];
        }
      }
      Shape shape = axis == 1 ? Shape.of(taps.length, 1, 3, 1) : Shape.of(1, taps.length, 3, 1);
      phases.add(tf.nn.depthwiseConv2dNative(padded, tf.constant(shape, DataBuffers.of(k, true, false)),
          List.of(1L, 1L, 1L, 1L), "VALID"));
    }
    // Interleave: [1,H,W,3] x s -> [1,H,s,W,3] (or [1,H,W,s,3]) -> [1,H*s,W,3] (or [1,H,W*s,3]).
    Operand<TFloat32> stacked = tf.stack(phases, org.tensorflow.op.core.Stack.axis((long) axis + 1));
    Operand<TInt32> shape = tf.shape(x);
    Operand<TInt32> factor = tf.constant(axis == 1 ? new int[] {1, scale, 1, 1} : new int[] {1, 1, scale, 1});
    return tf.reshape(stacked, tf.math.mul(shape, factor));
  }
}
