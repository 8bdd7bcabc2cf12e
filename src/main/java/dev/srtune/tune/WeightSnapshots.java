package dev.srtune.tune;

import dev.srtune.graph.train.ModelVariable;
import dev.srtune.graph.train.WeightSnapshot;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;

/**
 * The copies of the network's weights a run returns to, kept in the graph: the pretrained θ (for
 * {@link FineTuner#resetToPretrained()}), ψ_t of the last two iterations (a non-finite loss at t returns to
 * ψ_{t−1}, saved one iteration earlier in the other slot) and the best measured ψ_t (keep-best).
 */
final class WeightSnapshots {
  private final Session session;
  private final WeightSnapshot[] recent = new WeightSnapshot[2];
  private final WeightSnapshot best;
  private final Op[] bestFromRecent = new Op[2];
  private final WeightSnapshot pretrained;

  WeightSnapshots(Ops tf, Session session, List<ModelVariable> variables) {
    this.session = session;
    recent[0] = WeightSnapshot.build(tf, variables, "last_good_even");
    recent[1] = WeightSnapshot.build(tf, variables, "last_good_odd");
    best = WeightSnapshot.build(tf, variables, "best");
    bestFromRecent[0] = best.copyFrom(tf.withSubScope("best_from_even"), recent[0]);
    bestFromRecent[1] = best.copyFrom(tf.withSubScope("best_from_odd"), recent[1]);
    pretrained = WeightSnapshot.build(tf, variables, "pretrained");
  }

  /** Keeps the current weights as ψ_t. */
  void remember(int t) {
    run(recent[t % 2].save());
  }

  /** Returns to the last weights whose loss was finite when ψ_t was not: ψ_{t−1} (ψ_0 at t = 0); returns t − 1. */
  int restoreBefore(int t) {
    int keep = Math.max(0, t - 1);
    run(recent[keep % 2].restore());
    return keep;
  }

  /** Keeps ψ_t (remembered this iteration) as the best. */
  void keepAsBest(int t) {
    run(bestFromRecent[t % 2]);
  }

  void restoreBest() {
    run(best.restore());
  }

  void savePretrained() {
    run(pretrained.save());
  }

  void restorePretrained() {
    run(pretrained.restore());
  }

  private void run(Op target) {
    session.runner().addTarget(target).run();
  }
}
