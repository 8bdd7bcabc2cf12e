package dev.srtune.baseline;

import dev.srtune.UserInputException;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.dip.SkipHourglass;
import dev.srtune.graph.train.Adam;
import dev.srtune.graph.train.ModelVariable;
import dev.srtune.graph.train.Optimizer;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import dev.srtune.model.SessionConfig;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.FineTuner;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.IterationRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Deep Image Prior (Ulyanov, Vedaldi and Lempitsky, CVPR 2018) for super-resolution: a randomly initialised
 * {@link SkipHourglass} h maps a fixed random input z to an HR image, and its weights are fitted with Adam so that
 * ‖A h(z) − y‖² falls, where A is the image formation model; at every iteration z is perturbed by Gaussian noise
 * (the published input regulariser). The result is h(z) with the clean z after the last iteration. z and the noise
 * come from TensorFlow's stateless generators keyed by the seed and the iteration, so a seed gives the same run.
 */
public final class Dip implements Baseline {
  public static final String NAME = "dip";
  /** The smallest LR side DIP is run on. */
  static final int MIN_LR_SIDE = 8;

  private static final org.apache.logging.log4j.Logger LOG = org.apache.logging.log4j.LogManager.getLogger(Dip.class);
  private final DipSettings settings;
  private final Map<String, Object> details = new LinkedHashMap<>();

  public Dip(DipSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> settings() {
    return settings.asMap();
  }

  @Override
  public Map<String, Object> details() {
    return details;
  }

  @Override
  public void check(int h, int w, Degradation a) {
    int min = Math.max(MIN_LR_SIDE, (a.minInputSize() + a.scale() - 1) / a.scale());
    if (Math.min(h, w) < min) {
      throw new UserInputException("The LR image is " + h + "x" + w + " but DIP at x" + a.scale() + " with "
          + a.spec() + " needs at least " + min + "x" + min + " LR pixels; use a larger image.");
    }
  }

  /** A side rounded up to the hourglass's multiple. */
  private int padded(int side) {
    int m = SkipHourglass.multiple(settings.scales());
    return (side + m - 1) / m * m;
  }

  @Override
  public FineTuneResult run(RgbImage y, Degradation a, IterationListener listener, int outputEvery) {
    check(y.height(), y.width(), a);
    int s = a.scale();
    int hh = y.height() * s;
    int ww = y.width() * s;
    int ph = padded(hh);
    int pw = padded(ww);
    try (Graph g = new Graph(); Session session = new Session(g, SessionConfig.get())) {
      Ops tf = Ops.create(g).withSubScope(NAME);
      Operand<TInt64> shape = tf.constant(new long[] {1, ph, pw, settings.inputDepth()});
      Operand<TFloat32> z = tf.math.mul(tf.random.statelessRandomUniform(shape,
          tf.constant(new long[] {settings.seed(), 0})), tf.constant((float) settings.inputScale()));
      Placeholder<TInt64> noiseKey = tf.withName("noise_key").placeholder(TInt64.class,
          Placeholder.shape(Shape.of(2)));
      Operand<TFloat32> noiseStd = tf.withName("noise_std").placeholderWithDefault(tf.constant(0f), Shape.scalar());
      Operand<TFloat32> input = tf.math.add(z, tf.math.mul(noiseStd,
          tf.random.statelessRandomNormal(shape, noiseKey)));
      input = tf.ensureShape(input, Shape.of(1, ph, pw, settings.inputDepth()));
      @SuppressWarnings("unchecked")
      Operand<TFloat32>[] full = new Operand[1];
      SkipHourglass net = SkipHourglass.build(tf, settings.inputDepth(), settings.width(), settings.skipChannels(),
          settings.scales(), settings.seed(), input, full);
      int top = (ph - hh) / 2;
      int left = (pw - ww) / 2;
      Operand<TFloat32> hr = tf.slice(full[0], tf.constant(new int[] {0, top, left, 0}),
          tf.constant(new int[] {1, hh, ww, 3}));
      Placeholder<TFloat32> lr = tf.withName("lr").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1,
          3)));
      Operand<TFloat32> predicted = a.apply(tf.withSubScope("operator"), hr);
      Operand<TFloat32> loss = tf.withName("loss").math.mean(tf.math.squaredDifference(predicted, lr),
          tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] xs = net.variables().stream().map(ModelVariable::output).toArray(Output<?>[]::new);
      Output<?>[] grads = g.addGradients("dip_gradients", new Output<?>[] {loss.asOutput()}, xs, null);
      LOG.debug("DIP gradients built");
      Optimizer.Updates updates = Adam.defaults().build(tf, net.variables(), grads);
      LOG.debug("DIP optimiser built"); // the slow part for the 5-level network (docs/baselines.md)
      session.initialize();
      details.put("parameters", net.parameters());
      details.put("input_size", new int[] {ph, pw, settings.inputDepth()});
      return new Loop(session, y, lr, hr, loss, noiseKey, noiseStd, updates, listener, outputEvery).run();
    }
  }

  private final class Loop {
    private final Session session;
    private final RgbImage y;
    private final Placeholder<TFloat32> lr;
    private final Operand<TFloat32> hr;
    private final Operand<TFloat32> loss;
    private final Placeholder<TInt64> noiseKey;
    private final Operand<TFloat32> noiseStd;
    private final Optimizer.Updates updates;
    private final IterationListener listener;
    private final int outputEvery;
    private final long t0 = System.nanoTime();

    Loop(Session session, RgbImage y, Placeholder<TFloat32> lr, Operand<TFloat32> hr, Operand<TFloat32> loss,
        Placeholder<TInt64> noiseKey, Operand<TFloat32> noiseStd, Optimizer.Updates updates,
        IterationListener listener, int outputEvery) {
      this.session = session;
      this.y = y;
      this.lr = lr;
      this.hr = hr;
      this.loss = loss;
      this.noiseKey = noiseKey;
      this.noiseStd = noiseStd;
      this.updates = updates;
      this.listener = listener;
      this.outputEvery = outputEvery;
    }

    FineTuneResult run() {
      List<IterationRecord> curve = new ArrayList<>();
      Clean start = clean(0);
      curve.add(start.record());
      listener.onIteration(start.record(), settings.maxIterations());
      if (outputEvery > 0) {
        listener.onOutput(0, start.sr());
      }
      String reason = "max_iterations";
      int done = 0;
      long trainStart = System.nanoTime(); // the budget is for the iterations, not the start measurement
      for (int t = 0; t < settings.maxIterations(); t++) {
        if (settings.timeBudget() != null && System.nanoTime() - trainStart >= settings.timeBudget().toNanos()) {
          reason = "time_budget";
          break;
        }
        double l = step(t);
        done = t + 1;
        if (!Double.isFinite(l)) {
          reason = FineTuner.NON_FINITE_LOSS;
          break;
        }
        if (t > 0) { // the loss of step t is that of the weights after t steps, with the perturbed input
          IterationRecord r = new IterationRecord(t, l, IterationRecord.psnrFromMse(l), Map.of(), seconds());
          curve.add(r);
          listener.onIteration(r, settings.maxIterations());
        }
        if (outputEvery > 0 && done % outputEvery == 0 && done < settings.maxIterations()) {
          listener.onOutput(done, clean(done).sr());
        }
      }
      Clean last = done == 0 ? start : clean(done);
      if (done > 0) {
        curve.add(last.record());
        listener.onIteration(last.record(), settings.maxIterations());
        if (outputEvery > 0) {
          listener.onOutput(done, last.sr());
        }
      }
      return new FineTuneResult(start.sr(), last.sr(), List.copyOf(curve), start.record(), last.record(), done,
          reason, seconds());
    }

    private double seconds() {
      return (System.nanoTime() - t0) / 1e9;
    }

    private record Clean(RgbImage sr, IterationRecord record) {}

    /** h(z) with the clean input, and its exact LR consistency. */
    private Clean clean(int t) {
      try (TFloat32 x = y.toTensor(); TInt64 key = TInt64.vectorOf(0, 0);
          Result r = session.runner().feed(lr, x).feed(noiseKey, key).fetch(hr).fetch(loss).run()) {
        RgbImage sr = RgbImage.fromTensor((TFloat32) r.get(0));
        double mse = ((TFloat32) r.get(1)).getFloat();
        return new Clean(sr, new IterationRecord(t, mse, IterationRecord.psnrFromMse(mse), Map.of(), seconds()));
      }
    }

    private double step(int t) {
      List<Tensor> open = new ArrayList<>();
      try {
        TFloat32 x = y.toTensor();
        open.add(x);
        TInt64 key = TInt64.vectorOf(settings.seed(), t + 1L);
        open.add(key);
        TFloat32 std = TFloat32.scalarOf((float) settings.noiseStd());
        open.add(std);
        TFloat32 rate = TFloat32.scalarOf((float) settings.learningRate());
        open.add(rate);
        Session.Runner r = session.runner().feed(lr, x).feed(noiseKey, key).feed(noiseStd, std).fetch(loss)
            .addTarget(updates.apply()).feed(updates.learningRate(), rate);
        for (Optimizer.StepFeed f : updates.feeds()) {
          TFloat32 v = TFloat32.scalarOf((float) f.valueAtStep().applyAsDouble(t + 1));
          open.add(v);
          r.feed(f.placeholder(), v);
        }
        try (Result res = r.run()) {
          return ((TFloat32) res.get(0)).getFloat();
        }
      } finally {
        open.forEach(Tensor::close);
      }
    }
  }
}
