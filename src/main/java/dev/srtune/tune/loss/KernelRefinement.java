package dev.srtune.tune.loss;

import dev.srtune.graph.blind.KernelPriors;
import dev.srtune.graph.blind.KernelVariable;
import dev.srtune.graph.blind.RefinableBlurDegradation;
import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.graph.train.Adam;
import dev.srtune.graph.train.Optimizer;
import dev.srtune.tune.Window;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Joint kernel refinement (beyond the paper): the blur kernel of A = D∘B is a variable of the objective, refined
 * together with the network at every step. The operator is a {@link RefinableBlurDegradation} (k = softmax(z): the
 * kernel stays non-negative and sums to one); this term adds the kernel priors λ·(centring + border) to the objective
 * and updates z with its own Adam at a constant {@code learningRate} from the gradient of the whole objective — the
 * network's optimiser and schedule never see z. When the run ends it reads the refined kernel ({@link #refined()}).
 *
 * <p>The network's snapshots (last finite loss, keep-best, reset to pretrained) do not cover z: after a non-finite
 * loss or with --keep-best the kernel is the last one, not the one of the weights returned.
 *
 * @param operator A, whose kernel this term refines (the same object the options' operator is)
 * @param learningRate Adam's rate on the logits z
 * @param priorWeight λ of the centring and border priors
 */
public record KernelRefinement(RefinableBlurDegradation operator, double learningRate, double priorWeight,
    BlurKernel[] result) implements LossTerm {
  /** Adam's rate on the logits: a tap's log-weight moves by about this much per step (measured, README). */
  public static final double LEARNING_RATE_DEFAULT = 0.01;
  public static final double PRIOR_WEIGHT_DEFAULT = 1e-4;

  public KernelRefinement {
    if (!(learningRate > 0) || !(priorWeight >= 0)) {
      throw new IllegalArgumentException("the kernel learning rate must be > 0 and the prior weight >= 0");
    }
    result = result == null ? new BlurKernel[1] : result;
  }

  public KernelRefinement(RefinableBlurDegradation operator, double learningRate) {
    this(operator, learningRate, PRIOR_WEIGHT_DEFAULT, null);
  }

  /** The kernel when the last run ended, or null before a run. */
  public BlurKernel refined() {
    return result[0];
  }

  @Override
  public Built build(Ops tf, Inputs in) {
    KernelVariable k = operator.kernel();
    int size = k.size();
    Operand<TFloat32> priors = tf.withName("value").math.mul(tf.constant((float) priorWeight),
        tf.math.add(KernelPriors.centring(tf, k.kernel(), size), KernelPriors.border(tf, k.kernel(), size)));
    return new Built() {
      private Optimizer.Updates updates;
      private int steps;

      @Override
      public Operand<TFloat32> value() {
        return priors;
      }

      @Override
      public List<Op> stepTargets(Ops t, Operand<TFloat32> objective) {
        Graph g = (Graph) t.scope().env();
        Output<?>[] grads = g.addGradients(t.scope().makeOpName("kernel_gradients"),
            new Output<?>[] {objective.asOutput()}, new Output<?>[] {k.logits().output()}, null);
        updates = Adam.defaults().build(t, List.of(k.logits()), grads);
        return List.of(updates.apply());
      }

      @Override
      public void feed(Session.Runner runner, List<Window> windows, List<Tensor> open) {
        steps++;
        runner.feed(updates.learningRate(), scalar(learningRate, open));
        for (Optimizer.StepFeed f : updates.feeds()) {
          runner.feed(f.placeholder(), scalar(f.valueAtStep().applyAsDouble(steps), open));
        }
      }

      @Override
      public void finish(Session session) {
        try (Result r = session.runner().fetch(k.kernel()).run()) {
          float[] v = new float[size * size];
          ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(v);
          double[] d = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
          }
          result[0] = new BlurKernel("refined from " + operator.initial().spec(), size, size, d);
        }
      }
    };
  }

  private static TFloat32 scalar(double v, List<Tensor> open) {
    TFloat32 t = TFloat32.scalarOf((float) v);
    open.add(t);
    return t;
  }

  @Override
  public boolean dataFidelity() {
    return false;
  }

  @Override
  public String spec() {
    return "refine_kernel:lr=" + learningRate;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("term", "refine_kernel");
    m.put("initial_kernel", operator.initial().spec());
    m.put("parametrisation", "k = softmax(z) over the K^2 taps: non-negative, sums to 1");
    m.put("optimizer", Adam.defaults().spec());
    m.put("learning_rate", learningRate);
    m.put("prior_weight", priorWeight);
    m.put("definition", "prior_weight * (centring(k) + border(k)); z updated from the gradient of the whole "
        + "objective every step with its own Adam at a constant rate");
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o == this;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
