package dev.srtune.graph.train;

import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;

/**
 * A trainable variable of a model: a ref variable (VariableV2) or a resource variable (VarHandleOp).
 * {@link #output()} is what gradients are taken with respect to (the ref tensor, or the resource handle).
 */
public record ModelVariable(GraphOperation op, boolean resource, Shape shape) {

  public String name() {
    return op.name();
  }

  public Output<?> output() {
    return op.output(0);
  }

  public long size() {
    return shape.size();
  }
}
