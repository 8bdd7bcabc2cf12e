package dev.srtune.tune.loss;

import dev.srtune.tune.Window;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One term of the training objective; the loop minimises the sum of its options' terms. A term is built once into
 * the graph (under its own name scope) and may feed tensors at every step, cut with the step's {@link Window}s so
 * that whatever it holds per LR pixel lines up with the crops the step trains on.
 */
public interface LossTerm {

  /**
   * What a term can read in the graph.
   *
   * @param sr f(y) of the step's windows [B,sH,sW,3]
   * @param predictedLr A f(y) [B,H,W,3]
   * @param y the observed LR windows [B,H,W,3]
   * @param lrMargin LR pixels left out at each window border (0 on the whole image)
   * @param hrMargin the same border in output pixels (scale × lrMargin)
   * @param plainFidelity the paper's ‖A f(y) − y‖² (mean, inside the margin), already built
   */
  record Inputs(Operand<TFloat32> sr, Operand<TFloat32> predictedLr, Operand<TFloat32> y, Operand<TInt32> lrMargin,
      Operand<TInt32> hrMargin, Operand<TFloat32> plainFidelity) {}

  /** A term as built in a graph. */
  interface Built {
    /** The term's scalar value, weight included. */
    Operand<TFloat32> value();

    /** Adds this term's feeds for a step on {@code windows} of the image; tensors go into {@code open}. */
    default void feed(Session.Runner runner, List<Window> windows, List<Tensor> open) {}

    /**
     * Ops to run with every step, built once the whole objective exists: a term that owns variables of its own
     * (a blur kernel refined together with the network) updates them here from the objective's gradient.
     */
    default List<Op> stepTargets(Ops tf, Operand<TFloat32> objective) {
      return List.of();
    }

    /** Called once when a run ends, so a term can read what it owns from the session (e.g. a refined kernel). */
    default void finish(Session session) {}
  }

  Built build(Ops tf, Inputs in);

  /** True for a data-fidelity term; an objective has exactly one. */
  boolean dataFidelity();

  /** Training windows start at multiples of this many LR pixels (1: anywhere; a JPEG's MCU for its blocks). */
  default int windowAlignment() {
    return 1;
  }

  /** Refuses, in one sentence, an h×w LR image this term cannot be used on. */
  default void check(int h, int w) {}

  /** Short canonical name, e.g. {@code data_fidelity}, {@code tv:0.001}. */
  String spec();

  /** What {@code report.json} records of this term: its definition and settings. */
  Map<String, Object> describe();
}
