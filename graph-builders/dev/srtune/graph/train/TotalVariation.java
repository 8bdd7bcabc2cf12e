package dev.srtune.graph.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Anisotropic total variation of an image batch x [B,H,W,C], as a mean so its size does not depend on the image
 * size: TV(x) = mean |x[i+1,j] − x[i,j]| + mean |x[i,j+1] − x[i,j]|, each mean over all vertical (resp. horizontal)
 * neighbour pairs and channels, after leaving out {@code margin} pixels at each border.
 *
 * <p>Anisotropic (|∂h| + |∂w|) rather than isotropic (√(∂h² + ∂w²)): its gradient is finite everywhere (Abs has
 * sign as gradient, 0 at 0), where the isotropic form's square root has an infinite gradient on flat regions, which
 * an SR output has plenty of. The margin is for crops: there the network sees the window's edge, not the image.
 */
public final class TotalVariation {
  private TotalVariation() {}

  /** TV of {@code x} inside a border of {@code margin} pixels (a graph value, 0 = the whole image). */
  public static Operand<TFloat32> anisotropic(Ops tf, Operand<TFloat32> x, Operand<TInt32> margin) {
    Operand<TFloat32> c = DataFidelityLoss.crop(tf, x, margin);
    Operand<TInt32> all = tf.constant(new int[] {0, 1, 2, 3});
    return tf.math.add(tf.math.mean(tf.math.abs(difference(tf, c, 1)), all),
        tf.math.mean(tf.math.abs(difference(tf, c, 2)), all));
  }

  /** x[k+1] − x[k] along {@code axis} (1 = rows, 2 = columns). */
  private static Operand<TFloat32> difference(Ops tf, Operand<TFloat32> x, int axis) {
    int[] one = new int[4];
    one[axis] = 1;
    Operand<TInt32> shorter = tf.math.sub(tf.shape(x), tf.constant(one));
    Operand<TFloat32> next = tf.slice(x, tf.constant(one), shorter);
    Operand<TFloat32> here = tf.slice(x, tf.constant(new int[4]), shorter);
    return tf.math.sub(next, here);
  }
}
