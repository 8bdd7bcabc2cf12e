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
 * Adam (Kingma and Ba) with bias correction: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
 * ψ ← ψ − α·√(1−β2^k)/(1−β1^k)·m/(√v + ε), two zero-initialised slots per variable, with ApplyAdam for ref
 * variables and ResourceApplyAdam for resource ones; β1^k and β2^k are fed every step.
 */
public record Adam(double beta1, double beta2, double epsilon) implements Optimizer {
  public static final double BETA1_DEFAULT = 0.9;
  public static final double BETA2_DEFAULT = 0.999;
  public static final double EPSILON_DEFAULT = 1e-8;

  public Adam {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException("Adam needs 0 <= beta1, beta2 < 1 and epsilon > 0");
    }
  }

  public static Adam defaults() {
    return new Adam(BETA1_DEFAULT, BETA2_DEFAULT, EPSILON_DEFAULT);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Updates build(Ops tf, List<ModelVariable> vars, Output<?>[] grads) {
    Ops a = tf.withSubScope("adam");
    Placeholder<TFloat32> lr = Optimizer.scalar(a, "learning_rate");
    Placeholder<TFloat32> beta1Power = Optimizer.scalar(a, "beta1_power");
    Placeholder<TFloat32> beta2Power = Optimizer.scalar(a, "beta2_power");
    Operand<TFloat32> b1 = a.constant((float) beta1);
    Operand<TFloat32> b2 = a.constant((float) beta2);
    Operand<TFloat32> eps = a.constant((float) epsilon);
    List<Op> updates = new ArrayList<>();
    List<Op> resets = new ArrayList<>();
    Ops gated = Optimizer.gatedOnGradients(a, grads);
    for (int i = 0; i < vars.size(); i++) {
      ModelVariable v = vars.get(i);
      Operand<TFloat32> grad = (Operand<TFloat32>) grads[i];
      Ops slot = a; // no sub-scope per variable: see Optimizer.gatedOnGradients
      if (v.resource()) {
        Operand<? extends TType> m = SlotVariables.resourceZeros(slot, v, "m" + i);
        Operand<? extends TType> s = SlotVariables.resourceZeros(slot, v, "v" + i);
        updates.add(gated.train.resourceApplyAdam((Operand) v.output(), m, s, beta1Power, beta2Power, lr, b1, b2, eps,
            grad));
        resets.add(slot.assignVariableOp(m, SlotVariables.zeros(slot, v)));
        resets.add(slot.assignVariableOp(s, SlotVariables.zeros(slot, v)));
      } else {
        Operand<TFloat32> m = SlotVariables.refZeros(slot, v, "m" + i);
        Operand<TFloat32> s = SlotVariables.refZeros(slot, v, "v" + i);
        updates.add(gated.train.applyAdam((Operand) v.output(), m, s, beta1Power, beta2Power, lr, b1, b2, eps, grad));
        resets.add(slot.assign(m, SlotVariables.zeros(slot, v)));
        resets.add(slot.assign(s, SlotVariables.zeros(slot, v)));
      }
    }
    double b1d = beta1;
    double b2d = beta2;
    return new Updates(Optimizer.group(a, "apply", updates), Optimizer.group(a, "reset_slots", resets), lr,
        List.of(new StepFeed(beta1Power, k -> Math.pow(b1d, k)), new StepFeed(beta2Power, k -> Math.pow(b2d, k))));
  }

  @Override
  public String spec() {
    return String.format(Locale.ROOT, "adam:beta1=%s,beta2=%s,eps=%s", beta1, beta2, epsilon);
  }
}
