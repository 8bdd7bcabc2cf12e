package dev.srtune.graph.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * SGD with momentum as in PyTorch (the paper's optimiser): v ← μ·v + g, ψ ← ψ − α·v, one zero-initialised
 * slot v per variable, with ApplyMomentum for ref variables and ResourceApplyMomentum for resource ones.
 */
public final class MomentumUpdates {
  public static final float LEARNING_RATE_DEFAULT = 0.01f;
  public static final float MOMENTUM_DEFAULT = 0.9f;

  private MomentumUpdates() {}

  /**
   * The ops of one optimiser: {@code apply} performs every update, {@code resetSlots} zeroes the momentum (for a
   * fresh start from other weights). Slot initialisers are registered with the graph.
   */
  public record Momentum(Op apply, Op resetSlots) {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Momentum build(Ops tf, List<ModelVariable> vars, Output<?>[] grads, float learningRate, float momentum) {
    // Every update waits for every gradient: ApplyMomentum writes a ref variable in place, and without this gate an
    // update could run while backpropagation still reads that variable (through a later layer), so some gradients
    // would see half-updated weights and runs would differ from each other.
    List<Op> gradientOps = new ArrayList<>();
    for (Output<?> g : grads) {
      gradientOps.add(g); // an Output is an Operand, hence an Op: a control input on its operation
    }
    Ops m = tf.withSubScope("momentum");
    Operand<TFloat32> lr = m.constant(learningRate);
    Operand<TFloat32> mu = m.constant(momentum);
    List<Op> updates = new ArrayList<>();
    List<Op> resets = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      ModelVariable v = vars.get(i);
      Operand<TFloat32> grad = (Operand<TFloat32>) grads[i];
      Ops slot = m.withSubScope("slot" + i);
      Ops gated = slot.withControlDependencies(gradientOps); // not the slot initialisers: they must run without y
      if (v.resource()) {
        Operand<? extends TType> accum = SlotVariables.resourceZeros(slot, v, "accum");
        updates.add(gated.train.resourceApplyMomentum((Operand) v.output(), accum, lr, grad, mu));
        resets.add(slot.assignVariableOp(accum, SlotVariables.zeros(slot, v)));
      } else {
        Operand<TFloat32> accum = SlotVariables.refZeros(slot, v);
        updates.add(gated.train.applyMomentum((Operand) v.output(), accum, lr, grad, mu));
        resets.add(slot.assign(accum, SlotVariables.zeros(slot, v)));
      }
    }
    return new Momentum(m.withControlDependencies(updates).withName("apply").noOp(),
        m.withControlDependencies(resets).withName("reset_slots").noOp());
  }
}
