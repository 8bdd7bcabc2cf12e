package dev.srtune.graph.ops;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;

/**
 * A strided 'VALID' convolution built so that its gradient is right everywhere srtune runs. With oneDNN on
 * (TensorFlow 2.18; the default on CPUs with AVX512_VNNI/BF16, AMX, and srtune's default everywhere) the gradient of a
 * strided Conv2D with respect to its input (oneDNN's Conv2DBackpropInput) came out wrong in finite-difference checks,
 * while stride 1 is right: so this convolves at stride 1 and keeps every stride-th sample. Same values, s× the
 * forward cost of the (small) layers that use it.
 */
public final class StridedConvolution {
  private StridedConvolution() {}

  public static Operand<TFloat32> valid(Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, int strideH,
      int strideW) {
    Operand<TFloat32> all = tf.nn.conv2d(x, filter, List.of(1L, 1L, 1L, 1L), "VALID");
    if (strideH == 1 && strideW == 1) {
      return all;
    }
    int[] zeros = {0, 0, 0, 0};
    return tf.stridedSlice(all, tf.constant(zeros), tf.constant(zeros), tf.constant(new int[] {1, strideH, strideW, 1}),
        StridedSlice.beginMask(15L), StridedSlice.endMask(15L));
  }
}
