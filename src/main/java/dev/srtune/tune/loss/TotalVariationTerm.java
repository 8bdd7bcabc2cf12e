package dev.srtune.tune.loss;

import dev.srtune.graph.train.TotalVariation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.op.Ops;

/**
 * λ · TV(f(y)), anisotropic (see {@link TotalVariation}), on the network's output for the step's windows, leaving out
 * the loss margin in output pixels. Built even at λ = 0, where it adds exactly 0 to the loss and its gradient.
 *
 * @param weight λ ≥ 0
 * @param scheduleDefault true where a named schedule put the term in rather than the user ({@code --tv}): a policy
 *     that needs more smoothing (a JPEG in A) may then raise it, where a user's weight is kept as given
 */
public record TotalVariationTerm(double weight, boolean scheduleDefault) implements LossTerm {

  public TotalVariationTerm {
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("TV weight must be finite and >= 0, got " + weight);
    }
  }

  /** λ · TV as the user asked for it. */
  public TotalVariationTerm(double weight) {
    this(weight, false);
  }

  /** λ · TV as a named schedule's default part. */
  public static TotalVariationTerm scheduleDefault(double weight) {
    return new TotalVariationTerm(weight, true);
  }

  @Override
  public Built build(Ops tf, Inputs in) {
    var v = tf.withName("value").math.mul(tf.constant((float) weight),
        TotalVariation.anisotropic(tf, in.sr(), in.hrMargin()));
    return () -> v;
  }

  @Override
  public boolean dataFidelity() {
    return false;
  }

  @Override
  public String spec() {
    return "tv:" + weight;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("term", "tv");
    m.put("weight", weight);
    m.put("from", scheduleDefault ? "the schedule" : "--tv");
    m.put("definition", "weight * (mean |f(y)[i+1,j] - f(y)[i,j]| + mean |f(y)[i,j+1] - f(y)[i,j]|), anisotropic, "
        + "means over neighbour pairs and channels of the output, scale x loss margin pixels in from each border");
    return m;
  }
}
