package dev.srtune.graph.zssr;

import dev.srtune.graph.degradation.BicubicUpsampler;
import dev.srtune.graph.degradation.Boundary;
import dev.srtune.graph.degradation.Degradation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One iterative back-projection step (Irani and Peleg), as ZSSR applies it to its outputs:
 * x ← clip(x + U(y − A x), 0, 1), with A the image formation model and U the bicubic enlargement by its scale.
 */
public final class BackProjection {
  private BackProjection() {}

  public static Operand<TFloat32> step(Ops tf, Degradation a, Operand<TFloat32> sr, Operand<TFloat32> lr) {
    Ops bp = tf.withSubScope("back_projection");
    Operand<TFloat32> residual = bp.math.sub(lr, a.apply(bp, sr));
    Operand<TFloat32> up = new BicubicUpsampler(a.scale(), Boundary.REPLICATE).apply(bp, residual);
    return bp.clipByValue(bp.math.add(sr, up), bp.constant(0f), bp.constant(1f));
  }
}
