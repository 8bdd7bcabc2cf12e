package dev.srtune.graph.degradation;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Views [1,H,W,3] as three single-channel images [3,H,W,1] and back. CPU DepthwiseConv2dNative refuses unequal
 * strides, so the strided 1-D passes run as plain Conv2D on colour planes.
 */
final class ColourPlanes {
  private static final int[] SWAP_BATCH_AND_CHANNEL = {3, 1, 2, 0};

  private ColourPlanes() {}

  static Operand<TFloat32> split(Ops tf, Operand<TFloat32> x) {
    return tf.linalg.transpose(x, tf.constant(SWAP_BATCH_AND_CHANNEL));
  }

  static Operand<TFloat32> merge(Ops tf, Operand<TFloat32> planes) {
    return tf.linalg.transpose(planes, tf.constant(SWAP_BATCH_AND_CHANNEL));
  }
}
