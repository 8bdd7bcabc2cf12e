package dev.srtune.tune.loss;

import dev.srtune.UserInputException;
import dev.srtune.graph.train.DataFidelityLoss;
import dev.srtune.tune.Window;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The data-fidelity term weighted per LR pixel (see {@link DataFidelityLoss#weighted}): Σ w·(A f(y) − y)² / (3 Σ w)
 * over the step's windows inside the loss margin. The weights are fed at every step, cut with the step's windows,
 * so with random crops each crop is weighted by its own part of the mask. With all-ones weights it is the plain term.
 *
 * @param name what the weights are, for the spec ({@code mask:variance:0.9}, {@code mask:ones})
 */
public record WeightedDataFidelity(LrWeights weights, String name) implements LossTerm {

  @Override
  public Built build(Ops tf, Inputs in) {
    Placeholder<TFloat32> w = tf.withName("weights").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, -1, -1, 1)));
    var value = DataFidelityLoss.weighted(tf, in.predictedLr(), in.y(), in.lrMargin(), w);
    return new Built() {
      @Override
      public org.tensorflow.Operand<TFloat32> value() {
        return value;
      }

      @Override
      public void feed(Session.Runner runner, List<Window> windows, List<Tensor> open) {
        TFloat32 t = Window.stack(weights.values(), weights.height(), weights.width(), 1, windows);
        open.add(t);
        runner.feed(w, t);
      }
    };
  }

  @Override
  public void check(int h, int w) {
    if (h != weights.height() || w != weights.width()) {
      throw new UserInputException("The loss mask is " + weights.height() + "x" + weights.width() + " but the LR "
          + "image is " + h + "x" + w + "; make the mask from this image.");
    }
  }

  @Override
  public boolean dataFidelity() {
    return true;
  }

  @Override
  public String spec() {
    return "mask:" + name;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("term", spec());
    m.put("definition", "sum over LR pixels (inside the loss margin) and channels of w (A f(y) - y)^2, divided by "
        + "3 sum w; w is fed cut with the same windows as the step's LR crops");
    m.put("weights", weights.definition());
    m.put("mean_weight", weights.mean());
    m.put("nonzero_fraction", weights.nonZeroFraction());
    return m;
  }
}
