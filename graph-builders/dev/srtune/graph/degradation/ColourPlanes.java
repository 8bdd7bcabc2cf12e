package dev.srtune.graph.degradation;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Views a batch [B,H,W,3] as 3·B single-channel images [3·B,H,W,1] (colour-major) and back. CPU
 * DepthwiseConv2dNative refuses unequal strides, so the strided 1-D passes run as plain Conv2D on colour planes.
 * For B = 1 this is the transpose that swaps batch and channel; batches come from crop training.
 */
final class ColourPlanes {
  private static final int[] CHANNEL_FIRST = {3, 0, 1, 2};
  private static final int[] CHANNEL_LAST = {1, 2, 3, 0};

  private ColourPlanes() {}

  static Operand<TFloat32> split(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> t = tf.linalg.transpose(x, tf.constant(CHANNEL_FIRST)); // [3,B,H,W]
    Operand<TInt32> hw = tf.slice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
    Operand<TInt32> shape = tf.concat(java.util.List.of(tf.constant(new int[] {-1}), hw, tf.constant(new int[] {1})),
        tf.constant(0));
    return tf.reshape(t, shape);
  }

  static Operand<TFloat32> merge(Ops tf, Operand<TFloat32> planes) {
    Operand<TInt32> hw = tf.slice(tf.shape(planes), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
    Operand<TInt32> shape = tf.concat(java.util.List.of(tf.constant(new int[] {3, -1}), hw), tf.constant(0));
    return tf.linalg.transpose(tf.reshape(planes, shape), tf.constant(CHANNEL_LAST)); // [B,H,W,3]
  }
}
