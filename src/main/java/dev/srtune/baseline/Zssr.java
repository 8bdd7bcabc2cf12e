package dev.srtune.baseline;

import dev.srtune.UserInputException;
import dev.srtune.graph.degradation.BicubicUpsampler;
import dev.srtune.graph.degradation.Boundary;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.train.Adam;
import dev.srtune.graph.train.ModelVariable;
import dev.srtune.graph.train.Optimizer;
import dev.srtune.graph.zssr.BackProjection;
import dev.srtune.graph.zssr.ZssrNetwork;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import dev.srtune.model.SessionConfig;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.FineTuner;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.IterationRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

/**
 * ZSSR (Shocher, Cohen and Irani, CVPR 2018): a small network trained from scratch, at test time, on the LR image
 * alone. Each iteration takes a random crop of y (the "HR father"), one of its 8 dihedral transforms, makes its "LR
 * son" with the operator A, enlarges the son bicubically and trains the network (Adam, L1) to map it back to the
 * father. Every {@link ZssrSettings#testEvery()} iterations the reconstruction error of the whole y from A(y) is
 * measured; {@link SlopeTest} on those divides the learning rate by 10, and training stops once it falls below
 * {@link ZssrSettings#minLearningRate()}. The output is the network on the bicubic enlargement of y, averaged over the
 * 8 dihedral transforms by their median, with back-projection through A.
 */
public final class Zssr implements Baseline {
  public static final String NAME = "zssr";
  /** Stop reason when the learning rate fell below the minimum (the published stop). */
  public static final String LEARNING_RATE_STOP = "learning_rate_below_minimum";
  /** The smallest son ZSSR trains on, in pixels a side. */
  static final int MIN_SON = 8;

  private final ZssrSettings settings;
  private final Map<String, Object> details = new LinkedHashMap<>();

  public Zssr(ZssrSettings settings) {
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

  /** The smallest LR side ZSSR accepts at this operator: a son of {@link #MIN_SON} pixels and A's own minimum. */
  public static int minLrSide(Degradation a) {
    return Math.max(MIN_SON * a.scale(), a.minInputSize());
  }

  @Override
  public void check(int h, int w, Degradation a) {
    int min = minLrSide(a);
    if (Math.min(h, w) < min) {
      throw new UserInputException("The LR image is " + h + "x" + w + " but ZSSR at x" + a.scale() + " with "
          + a.spec() + " needs at least " + min + "x" + min + " pixels (it trains on the LR image downscaled by "
          + a.scale() + " again); use a larger image or a smaller --scale.");
    }
  }

  private int cropSide(int side, int s) {
    int c = Math.min(settings.cropSize(), side);
    return c - c % s;
  }

  @Override
  public FineTuneResult run(RgbImage y, Degradation a, IterationListener listener, int outputEvery) {
    check(y.height(), y.width(), a);
    int s = a.scale();
    try (Graph g = new Graph(); Session session = new Session(g, SessionConfig.get())) {
      Graphs gr = new Graphs(Ops.create(g).withSubScope(NAME), g, a);
      session.initialize();
      details.put("parameters", gr.net.parameters());
      return new Loop(session, gr, y, s, listener, outputEvery).run();
    }
  }

  /** The graph: training pair, test pass, consistency A(x) and back-projection, all on one network. */
  private final class Graphs {
    final ZssrNetwork net;
    final Placeholder<TFloat32> father;
    final Operand<TFloat32> loss;
    final Operand<TFloat32> reconstruction;
    final Placeholder<TFloat32> lowres;
    final Operand<TFloat32> sr;
    final Placeholder<TFloat32> image;
    final Operand<TFloat32> degraded;
    final Operand<TFloat32> backProjected;
    final Optimizer.Updates updates;

    Graphs(Ops tf, Graph g, Degradation a) {
      net = ZssrNetwork.create(tf.withSubScope("net"), settings.depth(), settings.width(),
          ZssrNetwork.INIT_VARIANCE_DEFAULT, settings.seed());
      BicubicUpsampler up = new BicubicUpsampler(a.scale(), Boundary.REPLICATE);
      Shape any = Shape.of(1, -1, -1, 3);
      father = tf.withName("father").placeholder(TFloat32.class, Placeholder.shape(any));
      Operand<TFloat32> son = a.apply(tf.withSubScope("son"), father);
      Operand<TFloat32> out = net.apply(tf.withSubScope("train"), up.apply(tf, son));
      loss = tf.withName("loss").math.mean(tf.math.abs(tf.math.sub(out, father)), tf.constant(new int[] {0, 1, 2, 3}));
      reconstruction = clip(tf, out);
      lowres = tf.withName("lowres").placeholder(TFloat32.class, Placeholder.shape(any));
      sr = clip(tf, net.apply(tf.withSubScope("test"), up.apply(tf, lowres)));
      image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(any));
      degraded = a.apply(tf.withSubScope("consistency"), image);
      backProjected = BackProjection.step(tf, a, image, lowres);
      Output<?>[] xs = net.variables().stream().map(ModelVariable::output).toArray(Output<?>[]::new);
      Output<?>[] grads = g.addGradients("zssr_gradients", new Output<?>[] {loss.asOutput()}, xs, null);
      updates = Adam.defaults().build(tf, net.variables(), grads);
    }

    private Operand<TFloat32> clip(Ops tf, Operand<TFloat32> x) {
      return tf.clipByValue(x, tf.constant(0f), tf.constant(1f));
    }
  }

  private final class Loop {
    private final Session session;
    private final Graphs gr;
    private final RgbImage y;
    private final RgbImage father;
    private final int scale;
    private final IterationListener listener;
    private final int outputEvery;
    private final List<IterationRecord> curve = new ArrayList<>();
    private final List<Integer> testSteps = new ArrayList<>();
    private final List<Double> reconstructionMse = new ArrayList<>();
    private final long t0 = System.nanoTime();

    Loop(Session session, Graphs gr, RgbImage y, int scale, IterationListener listener, int outputEvery) {
      this.session = session;
      this.scale = scale;
      this.gr = gr;
      this.y = y;
      this.father = y.modcrop(scale);
      this.listener = listener;
      this.outputEvery = outputEvery;
    }

    FineTuneResult run() {
      Random random = new Random(settings.seed());
      RgbImage start = superResolve(y);
      IterationRecord startRecord = test(0, start);
      double rate = settings.learningRate();
      int lastChange = 0;
      int done = 0;
      String reason = "max_iterations";
      long trainStart = System.nanoTime(); // the budget is for the training, not the start measurement
      for (int iter = 0; iter < settings.maxIterations(); iter++) {
        if (settings.timeBudget() != null && System.nanoTime() - trainStart >= settings.timeBudget().toNanos()) {
          reason = "time_budget";
          break;
        }
        double loss = step(sample(random), rate, iter + 1);
        done = iter + 1;
        if (!Double.isFinite(loss)) {
          reason = FineTuner.NON_FINITE_LOSS;
          break;
        }
        if (iter % settings.testEvery() == 0 && iter > 0) {
          test(done, null);
        }
        // The published policy, in the published code's iteration numbering.
        if ((1 + iter) % settings.policyCheckEvery() == 0 && iter - lastChange > settings.minIterationsBetweenChanges()) {
          int n = settings.slopeRange() / settings.testEvery();
          if (testSteps.size() >= n) {
            SlopeTest.Fit fit = SlopeTest.fit(testSteps.subList(testSteps.size() - n, testSteps.size()),
                reconstructionMse.subList(reconstructionMse.size() - n, reconstructionMse.size()));
            if (settings.slopeTest().reduce(fit)) {
              rate /= 10;
              lastChange = iter;
            }
          }
        }
        if (rate < settings.minLearningRate()) {
          reason = LEARNING_RATE_STOP;
          break;
        }
      }
      double trainSeconds = seconds();
      details.put("final_learning_rate", rate);
      details.put("training_seconds", Math.round(trainSeconds * 1000) / 1000.0);
      RgbImage result = done == 0 && !settings.ensemble() ? start : finalOutput();
      details.put("final_output_seconds", Math.round((seconds() - trainSeconds) * 1000) / 1000.0);
      IterationRecord last = record(done, reconstruction(), result);
      curve.add(last);
      listener.onIteration(last, settings.maxIterations());
      if (outputEvery > 0) {
        listener.onOutput(done, result);
      }
      return new FineTuneResult(start, result, List.copyOf(curve), startRecord, last, done, reason, seconds());
    }

    private double seconds() {
      return (System.nanoTime() - t0) / 1e9;
    }

    /** A random crop of y (sides multiples of s), under a random dihedral transform. */
    private RgbImage sample(Random random) {
      int s = scale;
      int ch = cropSide(y.height(), s);
      int cw = cropSide(y.width(), s);
      RgbImage crop = y.crop(random.nextInt(y.height() - ch + 1), random.nextInt(y.width() - cw + 1), ch, cw);
      return Dihedral.apply(crop, random.nextInt(Dihedral.COUNT));
    }

    private double step(RgbImage pair, double rate, int k) {
      List<Tensor> open = new ArrayList<>();
      try {
        TFloat32 x = pair.toTensor();
        open.add(x);
        Session.Runner r = session.runner().feed(gr.father, x).fetch(gr.loss).addTarget(gr.updates.apply());
        r.feed(gr.updates.learningRate(), scalar(rate, open));
        for (Optimizer.StepFeed f : gr.updates.feeds()) {
          r.feed(f.placeholder(), scalar(f.valueAtStep().applyAsDouble(k), open));
        }
        try (Result res = r.run()) {
          return ((TFloat32) res.get(0)).getFloat();
        }
      } finally {
        open.forEach(Tensor::close);
      }
    }

    /** The whole-image measurements at iteration {@code t}: reconstruction of y from A(y), and A f(y) vs y. */
    private IterationRecord test(int t, RgbImage already) {
      double[] rec = reconstruction();
      RgbImage sr = already != null ? already : superResolve(y);
      IterationRecord r = record(t, rec, sr);
      testSteps.add(t);
      reconstructionMse.add(rec[1]);
      curve.add(r);
      listener.onIteration(r, settings.maxIterations());
      if (outputEvery > 0) {
        listener.onOutput(t, sr);
      }
      return r;
    }

    private IterationRecord record(int t, double[] rec, RgbImage sr) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("reconstruction_psnr", IterationRecord.psnrFromMse(rec[1]));
      return new IterationRecord(t, rec[0], IterationRecord.psnrFromMse(Psnr.mse(degrade(sr), y)), m, seconds());
    }

    /** {L1 loss, MSE} of the network's reconstruction of the whole (modcropped) y from A(y). */
    private double[] reconstruction() {
      try (TFloat32 x = father.toTensor();
          Result r = session.runner().feed(gr.father, x).fetch(gr.loss).fetch(gr.reconstruction).run()) {
        RgbImage out = RgbImage.fromTensor((TFloat32) r.get(1));
        return new double[] {((TFloat32) r.get(0)).getFloat(), Psnr.mse(out, father)};
      }
    }

    private RgbImage superResolve(RgbImage lr) {
      try (TFloat32 x = lr.toTensor(); Result r = session.runner().feed(gr.lowres, x).fetch(gr.sr).run()) {
        return RgbImage.fromTensor((TFloat32) r.get(0));
      }
    }

    private RgbImage degrade(RgbImage sr) {
      try (TFloat32 x = sr.toTensor(); Result r = session.runner().feed(gr.image, x).fetch(gr.degraded).run()) {
        return RgbImage.fromTensor((TFloat32) r.get(0));
      }
    }

    private RgbImage backProject(RgbImage sr) {
      RgbImage x = sr;
      for (int i = 0; i < settings.backProjections(); i++) {
        try (TFloat32 in = x.toTensor(); TFloat32 lr = y.toTensor();
            Result r = session.runner().feed(gr.image, in).feed(gr.lowres, lr).fetch(gr.backProjected).run()) {
          x = RgbImage.fromTensor((TFloat32) r.get(0));
        }
      }
      return x;
    }

    /** The self-ensemble: each dihedral transform of y through the network, back-projected; their median. */
    private RgbImage finalOutput() {
      int n = settings.ensemble() ? Dihedral.COUNT : 1;
      List<RgbImage> outs = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        outs.add(backProject(Dihedral.invert(superResolve(Dihedral.apply(y, k)), k)));
      }
      return backProject(median(outs));
    }
  }

  /** Per-sample median (the mean of the two middle values for an even count, as numpy's). */
  static RgbImage median(List<RgbImage> images) {
    RgbImage first = images.get(0);
    if (images.size() == 1) {
      return first;
    }
    float[] out = new float[first.data().length];
    float[] v = new float[images.size()];
    for (int i = 0; i < out.length; i++) {
      for (int k = 0; k < v.length; k++) {
        v[k] = images.get(k).data()[i];
      }
      Arrays.sort(v);
      int m = v.length / 2;
      out[i] = v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
    return new RgbImage(first.height(), first.width(), out);
  }

  private static TFloat32 scalar(double v, List<Tensor> open) {
    TFloat32 t = TFloat32.scalarOf((float) v);
    open.add(t);
    return t;
  }
}
