package dev.srtune.graph.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/** Zero-initialised variables shaped like a model variable (momentum slots, weight snapshots). */
final class SlotVariables {
  private SlotVariables() {}

  /** Fill, not {@code Ops.zeros}: that one opens a sub-scope, which reads every op name of the graph (Optimizer). */
  static Operand<TFloat32> zeros(Ops tf, ModelVariable v) {
    return tf.fill(tf.constant(v.shape()), tf.constant(0f));
  }

  /** A ref variable (VariableV2), initialised to zeros by an initializer the session runs. */
  static Operand<TFloat32> refZeros(Ops tf, ModelVariable v, String name) {
    return tf.withName(name).variable(zeros(tf.withInitScope(), v));
  }

  /** A resource variable; a VarHandleOp needs its own shared name or it aliases other unnamed ones. */
  static Operand<? extends TType> resourceZeros(Ops tf, ModelVariable v, String name) {
    String shared = tf.scope().makeOpName(name);
    VarHandleOp h = tf.withName(name).varHandleOp(TFloat32.class, v.shape(), VarHandleOp.sharedName(shared));
    Ops init = tf.withInitScope();
    init.assignVariableOp(h, zeros(init, v));
    return h;
  }
}
