package dev.srtune.graph.degradation;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A downsampler D made of two 1-D passes. Exposing the passes lets LR synthesis round to 8 bits between them,
 * as MATLAB (uint8 input) and PIL (8-bit RGB) do when they make LR files.
 */
public interface SeparableDownsampler extends Degradation {

  /** One 1-D pass along {@code axis} (1 = height, 2 = width) of an NHWC image. */
  Operand<TFloat32> pass(Ops tf, Operand<TFloat32> x, int axis);

  /** The axes in the order {@link #apply} runs the passes (the original tool's order). */
  List<Integer> passOrder();
}
