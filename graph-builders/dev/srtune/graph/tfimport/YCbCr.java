package dev.srtune.graph.tfimport;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Full-range BT.601 YCbCr on [0,1] images, as OpenCV's {@code cvtColor(..., COLOR_BGR2YCrCb)} computes it (the
 * conversion {@code dnn_superres} feeds its Y-channel networks with): Y = 0.299 R + 0.587 G + 0.114 B,
 * Cb = 0.5 + 0.564 (B − Y), Cr = 0.5 + 0.713 (R − Y). Both directions are a 1×1 convolution plus an offset, so
 * gradients pass through; the inverse matrix is computed, not copied, so the round trip is exact to float rounding.
 */
final class YCbCr {
  /** Rows Y, Cb, Cr; columns R, G, B. */
  static final double[][] FORWARD = {
      {0.299, 0.587, 0.114},
      {-0.564 * 0.299, -0.564 * 0.587, 0.564 * (1 - 0.114)},
      {0.713 * (1 - 0.299), -0.713 * 0.587, -0.713 * 0.114}};
  static final double[] OFFSET = {0, 0.5, 0.5};

  private YCbCr() {}

  /** [1,h,w,3] RGB → [1,h,w,3] YCbCr. */
  static Operand<TFloat32> fromRgb(Ops tf, Operand<TFloat32> rgb) {
    return tf.math.add(mix(tf, rgb, FORWARD), tf.constant(floats(OFFSET)));
  }

  /** [1,h,w,3] YCbCr → [1,h,w,3] RGB. */
  static Operand<TFloat32> toRgb(Ops tf, Operand<TFloat32> ycc) {
    return mix(tf, tf.math.sub(ycc, tf.constant(floats(OFFSET))), invert(FORWARD));
  }

  /** out_c = Σ_k m[c][k] · in_k as a 1×1 convolution (filter HWIO [1,1,3,3]). */
  private static Operand<TFloat32> mix(Ops tf, Operand<TFloat32> x, double[][] m) {
    float[] k = new float[9];
    for (int in = 0; in < 3; in++) {
      for (int out = 0; out < 3; out++) {
        k[in * 3 + out] = (float) m[out][in];
      }
    }
    Operand<TFloat32> filter = tf.constant(Shape.of(1, 1, 3, 3), DataBuffers.of(k));
    return tf.nn.conv2d(x, filter, List.of(1L, 1L, 1L, 1L), "VALID");
  }

  static double[][] invert(double[][] a) {
    double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
        + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    double[][] inv = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        // cofactor of a[j][i]
        int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
        inv[i][j] = (a[r0][c0] * a[r1][c1] - a[r0][c1] * a[r1][c0]) / det;
      }
    }
    return inv;
  }

  private static float[] floats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
