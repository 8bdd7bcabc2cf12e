package dev.srtune.graph.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * How the gradients change the weights: one slot set per variable and the matching Apply(Resource)* ops, built
 * into the model's graph. Lifecycle: {@link #build} once, then run {@link Updates#apply()} every step with the
 * learning rate (and any {@link StepFeed}) fed; {@link Updates#resetSlots()} starts the optimiser afresh.
 */
public interface Optimizer {

  /** Adds slots and update ops for {@code vars} given their gradients {@code grads} (same order). */
  Updates build(Ops tf, List<ModelVariable> vars, Output<?>[] grads);

  /** Canonical spec, e.g. {@code sgd:momentum=0.9} or {@code adam:beta1=0.9,beta2=0.999,eps=1e-08}. */
  String spec();

  /**
   * The ops of a built optimiser.
   *
   * @param apply performs every update (waits for every gradient)
   * @param resetSlots zeroes the slots (momentum, moments) for a fresh start
   * @param learningRate the scalar to feed with the step's learning rate
   * @param feeds further scalars to feed every step, as a function of the 1-based step count since the reset
   */
  record Updates(Op apply, Op resetSlots, Placeholder<TFloat32> learningRate, List<StepFeed> feeds) {}

  /** A scalar the optimiser needs every step (e.g. Adam's β^k), as a function of the step count k ≥ 1. */
  record StepFeed(Placeholder<TFloat32> placeholder, IntToDoubleFunction valueAtStep) {}

  /**
   * Every update waits for every gradient: Apply* ops write a ref variable in place, and without this gate an
   * update could run while backpropagation still reads that variable (through a later layer), so some gradients
   * would see half-updated weights and runs would differ from each other. The gate is one NoOp that waits for all
   * gradients, so the updates take one control input each, not one per gradient.
   *
   * <p>Optimisers build all their slots in the one scope they get, naming them by the variable's index: in TF Java
   * 1.1.0 {@code Ops.withSubScope} reads the name of every op in the graph, so a sub-scope per variable makes
   * building O(variables × ops) — over four minutes for UpscalerJS' RRDN (308 weight tensors).
   */
  static Ops gatedOnGradients(Ops tf, Output<?>[] grads) {
    List<Op> gradientOps = new ArrayList<>();
    for (Output<?> g : grads) {
      gradientOps.add(g); // an Output is an Operand, hence an Op: a control input on its operation
    }
    return tf.withControlDependencies(List.of(tf.withControlDependencies(gradientOps).withName("gradients_done")
        .noOp()));
  }

  static Placeholder<TFloat32> scalar(Ops tf, String name) {
    return tf.withName(name).placeholder(TFloat32.class,
        Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
  }

  static Op group(Ops tf, String name, List<Op> ops) {
    return tf.withControlDependencies(ops).withName(name).noOp();
  }
}
