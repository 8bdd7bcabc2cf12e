package dev.srtune.graph.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * A copy of every model variable kept in the graph, to return to known-good or best weights without
 * leaving the session: {@link #save()} copies the model's weights in, {@link #restore()} copies them back.
 */
public record WeightSnapshot(Op save, Op restore, List<Operand<? extends TType>> copies) {

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static WeightSnapshot build(Ops tf, List<ModelVariable> vars, String name) {
    Ops s = tf.withSubScope(name);
    List<Op> saves = new ArrayList<>();
    List<Op> restores = new ArrayList<>();
    List<Operand<? extends TType>> copies = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      ModelVariable v = vars.get(i);
      // One scope for all variables: Ops.withSubScope scans every op of the graph (TF Java 1.1.0's NameScope
      // imports their names), so a sub-scope per variable costs O(variables x ops) to build: minutes for RRDN.
      Ops one = s;
      Operand<? extends TType> copy = SlotVariables.resourceZeros(one, v, "w" + i);
      Operand<TFloat32> current = v.resource()
          ? one.readVariableOp((Operand) v.output(), TFloat32.class)
          : (Operand<TFloat32>) (Operand) v.output();
      copies.add(copy);
      // DeepCopy: assigning a ref variable's tensor (or a read of a resource) can hand over the buffer itself,
      // and the next in-place update of one would then change the other.
      saves.add(one.assignVariableOp(copy, one.deepCopy(current)));
      Operand<TFloat32> saved = one.deepCopy(one.readVariableOp(copy, TFloat32.class));
      restores.add(v.resource()
          ? one.assignVariableOp((Operand) v.output(), saved)
          : one.assign((Operand) v.output(), saved));
    }
    return new WeightSnapshot(s.withControlDependencies(saves).withName("save").noOp(),
        s.withControlDependencies(restores).withName("restore").noOp(), List.copyOf(copies));
  }

  /** An op that copies {@code from}'s saved weights into this snapshot. */
  public Op copyFrom(Ops tf, WeightSnapshot from) {
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < copies.size(); i++) {
      assigns.add(tf.assignVariableOp(copies.get(i),
          tf.deepCopy(tf.readVariableOp(from.copies().get(i), TFloat32.class))));
    }
    return tf.withControlDependencies(assigns).noOp();
  }
}
