package dev.srtune.graph.degradation;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An image formation model A: maps a high-resolution image [1,H,W,3] to its low-resolution observation
 * [1,H/s,W/s,3]. Implementations are differentiable graph builders.
 */
public interface Degradation {

  /** Adds the ops of A applied to {@code hr} to the graph of {@code tf}. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> hr);

  /** The integer downscaling factor s. */
  int scale();

  /** The canonical spec string that parses back to this operator (used by the CLI and reports). */
  String spec();

  /** Smallest HR side this operator accepts (its border padding must fit inside the image). */
  default int minInputSize() {
    return scale();
  }

  /**
   * Training windows of the LR image start at multiples of this (1: anywhere). A JPEG's blocks lie on a grid;
   * a window off the grid would see other blocks than the image.
   */
  default int windowAlignment() {
    return 1;
  }
}
