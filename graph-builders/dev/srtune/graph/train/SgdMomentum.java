package dev.srtune.graph.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * SGD with momentum as in PyTorch (the paper's optimiser): v ← μ·v + g, ψ ← ψ − α·v, one zero-initialised
 * slot v per variable, with ApplyMomentum for ref variables and ResourceApplyMomentum for resource ones.
 *
 * @param momentum μ
 */
public record SgdMomentum(double momentum) implements Optimizer {
  public static final float LEARNING_RATE_DEFAULT = 0.01f;
  public static final float MOMENTUM_DEFAULT = 0.9f;

  public SgdMomentum {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
  }

  /** The paper's μ = 0.9. */
  public static SgdMomentum paper() {
    return new SgdMomentum(MOMENTUM_DEFAULT);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Updates build(Ops tf, List<ModelVariable> vars, Output<?>[] grads) {
    Ops m = tf.withSubScope("momentum");
    Placeholder<TFloat32> lr = Optimizer.scalar(m, "learning_rate");
    Operand<TFloat32> mu = m.constant((float) momentum);
    List<Op> updates = new ArrayList<>();
    List<Op> resets = new ArrayList<>();
    Ops gated = Optimizer.gatedOnGradients(m, grads); // not the slot initialisers: they must run without y
    for (int i = 0; i < vars.size(); i++) {
      ModelVariable v = vars.get(i);
      Operand<TFloat32> grad = (Operand<TFloat32>) grads[i];
      Ops slot = m; // no sub-scope per variable: see Optimizer.gatedOnGradients
      if (v.resource()) {
        Operand<? extends TType> accum = SlotVariables.resourceZeros(slot, v, "accum" + i);
        updates.add(gated.train.resourceApplyMomentum((Operand) v.output(), accum, lr, grad, mu));
        resets.add(slot.assignVariableOp(accum, SlotVariables.zeros(slot, v)));
      } else {
        Operand<TFloat32> accum = SlotVariables.refZeros(slot, v, "accum" + i);
        updates.add(gated.train.applyMomentum((Operand) v.output(), accum, lr, grad, mu));
        resets.add(slot.assign(accum, SlotVariables.zeros(slot, v)));
      }
    }
    return new Updates(Optimizer.group(m, "apply", updates), Optimizer.group(m, "reset_slots", resets), lr, List.of());
  }

  @Override
  public String spec() {
    return String.format(Locale.ROOT, "sgd:momentum=%s", momentum);
  }
}
