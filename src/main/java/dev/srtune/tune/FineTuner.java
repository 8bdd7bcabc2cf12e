package dev.srtune.tune;

import dev.srtune.UserInputException;
import dev.srtune.graph.savedmodel.SrSignature;
import dev.srtune.graph.train.DataFidelityLoss;
import dev.srtune.graph.train.ModelVariable;
import dev.srtune.graph.train.Optimizer;
import dev.srtune.graph.train.TrainableVariables;
import dev.srtune.graph.train.WeightSnapshot;
import dev.srtune.image.RgbImage;
import dev.srtune.model.MemoryEstimate;
import dev.srtune.model.TiledInference;
import dev.srtune.model.Tiling;
import dev.srtune.tune.loss.DataFidelity;
import dev.srtune.tune.loss.LossTerm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * Self-supervised fine-tuning of an SR network on one image (Algorithm 1): minimise ‖A f_ψ(y) − y‖² from the
 * pretrained weights until the stop rule fires. The parts are the options': what an iteration sees
 * ({@link Sampler}), how the weights move ({@link Optimizer}, {@link LearningRateSchedule}), when to stop
 * ({@link StopRule} on whole-image LR metrics), and what is minimised (the sum of the {@link LossTerm}s: the data
 * fidelity, plain or masked, and regularisers such as total variation).
 *
 * <p>It works on a graph and session the caller owns (a {@link SavedModelBundle} or any graph with an
 * {@code lr → sr} pair): {@link #attach} adds the training subgraph under its own name scope and initialises
 * only what it added; {@link #close()} closes nothing of the caller's. The weights are changed in place: the
 * caller's session holds the fine-tuned network afterwards (call {@link #resetToPretrained()} to undo).
 */
public final class FineTuner implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(FineTuner.class);
  static final String SCOPE = "srtune_finetune";
  /** Stop reason when the loss stopped being finite; the weights are those of the last finite loss. */
  public static final String NON_FINITE_LOSS = "non_finite_loss";

  private final Session session;
  private final Output<TFloat32> lr;
  private final Output<TFloat32> sr;
  private final FineTuneOptions options;
  private final List<ModelVariable> variables;
  /**
   * ‖A f(y) − y‖² (mean) without {@link #lossMargin} pixels at each border: the whole image's LR MSE (what LR-PSNR
   * is computed from) with the margin's default 0, the training loss on crops with the sampler's margin fed.
   */
  private final Operand<TFloat32> loss;
  private final Operand<TInt32> lossMargin;
  /**
   * What the steps minimise: the sum of the options' {@link LossTerm}s. With the paper's plain data fidelity alone
   * it is {@link #loss} itself (no op added); the whole-image measurements always read {@link #loss}.
   */
  private final Operand<TFloat32> objective;
  private final List<LossTerm.Built> terms = new ArrayList<>();
  private final Map<String, Operand<TFloat32>> metrics = new LinkedHashMap<>();
  private final Optimizer.Updates updates;
  /** What the loss terms run with every step besides the network's updates (their own variables' updates). */
  private final List<Op> termTargets = new ArrayList<>();
  private final WeightSnapshot[] lastGood = new WeightSnapshot[2];
  private final WeightSnapshot best;
  private final Op[] bestFromLastGood = new Op[2];
  private final WeightSnapshot pretrained;
  private final MetaGraphDef metaGraph;
  private final String scope;
  /** Optimiser steps since its slots were last zeroed (Adam's bias correction counts from there). */
  private int stepsSinceReset;
  /** The network measured for tiled passes (receptive field, memory), on first need. */
  private TiledInference tiled;
  /** The last plan for whole-image passes and the image size it is for (null plan: the whole image at once). */
  private Tiling plan;
  private long plannedFor = -1;
  /**
   * Images up to this many LR pixels run their whole-image passes at once without measuring the network's memory
   * (256², where EnhanceNet ×4 needs about 0.8 GB), unless a tile or a budget is given.
   */
  static final long UNMEASURED_PIXELS = 256L * 256;

  private FineTuner(Graph graph, Session session, Output<TFloat32> lr, Output<TFloat32> sr, FineTuneOptions options,
      MetaGraphDef metaGraph) {
    this.session = session;
    this.lr = lr;
    this.sr = sr;
    this.options = options;
    this.metaGraph = metaGraph;
    this.scope = freeScope(graph);
    this.variables = TrainableVariables.feeding(graph, sr, SCOPE);
    if (variables.isEmpty()) {
      throw new UserInputException("The model has no trainable variables feeding its output, so there is nothing to "
          + "fine-tune; export it with its weights as variables, or import its frozen graph with 'srtune build "
          + "graphdef', which turns weight constants into variables.");
    }
    Ops tf = Ops.create(graph).withSubScope(scope);
    Operand<TFloat32> predictedLr = options.operator().apply(tf, sr);
    this.lossMargin = tf.withName("loss_margin").placeholderWithDefault(tf.constant(0), Shape.scalar());
    this.loss = tf.withName("loss").identity(DataFidelityLoss.build(tf, predictedLr, lr, lossMargin));
    this.objective = objective(tf, options.lossTerms(), new LossTerm.Inputs(sr, predictedLr, lr, lossMargin,
        tf.math.mul(lossMargin, tf.constant(options.operator().scale())), loss));
    for (LrMetric m : options.extraMetrics()) {
      metrics.put(m.name(), m.build(tf.withSubScope(m.name()), predictedLr, lr));
    }
    Output<?>[] xs = variables.stream().map(ModelVariable::output).toArray(Output<?>[]::new);
    Output<?>[] grads = graph.addGradients(scope + "_gradients", new Output<?>[] {objective.asOutput()}, xs, null);
    this.updates = options.optimizer().build(tf, variables, grads);
    for (int i = 0; i < terms.size(); i++) {
      termTargets.addAll(terms.get(i).stepTargets(tf.withSubScope("term_" + i + "_step"), objective));
    }
    this.lastGood[0] = WeightSnapshot.build(tf, variables, "last_good_even");
    this.lastGood[1] = WeightSnapshot.build(tf, variables, "last_good_odd");
    this.best = WeightSnapshot.build(tf, variables, "best");
    this.bestFromLastGood[0] = best.copyFrom(tf.withSubScope("best_from_even"), lastGood[0]);
    this.bestFromLastGood[1] = best.copyFrom(tf.withSubScope("best_from_odd"), lastGood[1]);
    this.pretrained = WeightSnapshot.build(tf, variables, "pretrained");
    session.initialize(); // runs only the initializers added above; restored weights keep their values
    session.runner().addTarget(pretrained.save()).run();
    long params = variables.stream().mapToLong(ModelVariable::size).sum();
    LOG.debug("attached fine-tuning to {} variables ({} parameters), operator {}, optimizer {}, sampling {}",
        variables.size(), params, options.operator(), options.optimizer().spec(), options.sampler().spec());
  }

  /** Builds each term under its own scope and sums them; the plain data fidelity alone is {@link #loss} itself. */
  private Operand<TFloat32> objective(Ops tf, List<LossTerm> lossTerms, LossTerm.Inputs in) {
    if (lossTerms.equals(List.of(DataFidelity.PLAIN))) {
      return loss;
    }
    Operand<TFloat32> sum = null;
    for (int i = 0; i < lossTerms.size(); i++) {
      LossTerm.Built b = lossTerms.get(i).build(tf.withSubScope("term_" + i), in);
      terms.add(b);
      sum = sum == null ? b.value() : tf.math.add(sum, b.value());
    }
    return tf.withName("objective").identity(sum);
  }

  /** Attaches to a loaded SavedModel with srtune's signature ({@code lr → sr}). */
  public static FineTuner attach(SavedModelBundle bundle, FineTuneOptions options) {
    SignatureDef sig = bundle.metaGraphDef().getSignatureDefMap().get(SrSignature.KEY);
    if (sig == null || !sig.getInputsMap().containsKey(SrSignature.INPUT)
        || !sig.getOutputsMap().containsKey(SrSignature.OUTPUT)) {
      throw new UserInputException("The SavedModel has no '" + SrSignature.KEY + "' signature with input '"
          + SrSignature.INPUT + "' and output '" + SrSignature.OUTPUT + "'; build or import it with srtune.");
    }
    Graph g = bundle.graph();
    return new FineTuner(g, bundle.session(), output(g, sig.getInputsMap().get(SrSignature.INPUT)),
        output(g, sig.getOutputsMap().get(SrSignature.OUTPUT)), options, bundle.metaGraphDef());
  }

  /** Attaches to any graph and session the caller owns, given the network's input and output tensors. */
  public static FineTuner attach(Graph graph, Session session, Output<TFloat32> lr, Output<TFloat32> sr,
      FineTuneOptions options) {
    return new FineTuner(graph, session, lr, sr, options, null);
  }

  @SuppressWarnings("unchecked")
  private static Output<TFloat32> output(Graph g, TensorInfo info) {
    String name = info.getName();
    int colon = name.lastIndexOf(':');
    String op = colon < 0 ? name : name.substring(0, colon);
    int index = colon < 0 ? 0 : Integer.parseInt(name.substring(colon + 1));
    GraphOperation o = g.operation(op);
    if (o == null) {
      throw new UserInputException("The SavedModel's signature names " + name + ", which is not in its graph.");
    }
    return (Output<TFloat32>) (Output<?>) o.output(index);
  }

  private static String freeScope(Graph g) {
    for (int i = 0; ; i++) {
      String candidate = i == 0 ? SCOPE : SCOPE + "_" + i;
      boolean used = false;
      for (var it = g.operations(); it.hasNext() && !used; ) {
        String n = it.next().name();
        used = n.equals(candidate) || n.startsWith(candidate + "/") || n.startsWith(candidate + "_gradients");
      }
      if (!used) {
        return candidate;
      }
    }
  }

  public List<ModelVariable> variables() {
    return variables;
  }

  /** How the last run's whole-image passes ran: "whole", or "N tiles, core C, margin M" (for reports). */
  public String wholeImagePasses() {
    return plan == null ? "whole" : plan.tiles().size() + " tiles, core " + plan.core() + ", margin " + plan.margin();
  }

  public FineTuneOptions options() {
    return options;
  }

  /** f_ψ(y) with the current weights (tile by tile where the options' {@link WholeImagePasses} say so). */
  public RgbImage superResolve(RgbImage y) {
    Tiling p = plan(y);
    if (p != null) {
      return tiled.superResolve(y, p);
    }
    try (TFloat32 x = y.toTensor(); Result r = session.runner().feed(lr, x).fetch(sr).run()) {
      return RgbImage.fromTensor((TFloat32) r.get(0));
    }
  }

  /** The network measured for tiling (receptive field, memory), once per fine-tuner. */
  private TiledInference tiled() {
    if (tiled == null) {
      long t0 = System.nanoTime();
      tiled = TiledInference.measure(session, lr, sr, options.operator().scale());
      LOG.debug("measured the network for tiling in {} ms: margin {}, {}", (System.nanoTime() - t0) / 1_000_000,
          tiled.margin(), tiled.memory());
    }
    return tiled;
  }

  /**
   * A training step on the whole image keeps the forward pass's activations for the backward pass and adds their
   * gradients: about {@link #TRAINING_MEMORY_FACTOR} times a forward pass. Refused before any work when that exceeds
   * the --memory-budget given, or three quarters of the machine's RAM.
   */
  private void checkWholeImageStep(RgbImage y, Sampler sampler) {
    WholeImagePasses passes = options.passes();
    if (!sampler.wholeImage() || ((long) y.height() * y.width() <= UNMEASURED_PIXELS && passes.memoryBudget() == 0)) {
      return;
    }
    long need = TRAINING_MEMORY_FACTOR * tiled().memory().bytes(y.height(), y.width());
    long limit = passes.memoryBudget() > 0 ? passes.memoryBudget()
        : MemoryEstimate.totalMemory() / 4 * 3;
    if (need > limit) {
      throw new UserInputException("A training step on the whole " + y.height() + "x" + y.width() + " image needs "
          + "about " + WholeImagePasses.size(need) + ", more than the " + WholeImagePasses.size(limit) + " it may use "
          + "(it does not fit in memory); train on crops (--sampling crops:48x4, as --schedule fast does)"
          + (passes.memoryBudget() > 0 ? " or give a larger --memory-budget" : "") + ".");
    }
  }

  static final int TRAINING_MEMORY_FACTOR = 3;

  /**
   * How whole-image passes over {@code y} run: null for at once, else the tiles. Refuses, in one sentence, an image
   * that does not fit even in the smallest tiles.
   */
  private Tiling plan(RgbImage y) {
    long key = ((long) y.height() << 32) | y.width();
    if (key == plannedFor) {
      return plan;
    }
    WholeImagePasses passes = options.passes();
    Tiling p = null;
    if (passes.tile() > 0 || passes.memoryBudget() > 0 || (long) y.height() * y.width() > UNMEASURED_PIXELS) {
      TiledInference t = passes.memoryBudget() > 0 ? tiled().withBudget(passes.memoryBudget()) : tiled();
      p = passes.tile() > 0 ? Tiling.plan(y.height(), y.width(), passes.tile(), t.margin()) : t.plan(y);
      if (p.tiles().size() == 1) {
        p = null;
      } else {
        LOG.info("whole-image passes over {}x{} run in {} tiles of up to {} LR pixels a side ({} of margin)",
            y.height(), y.width(), p.tiles().size(), p.core(), p.margin());
      }
    }
    plan = p;
    plannedFor = key;
    return p;
  }

  /** Whole-image LR-PSNR and LR metrics of the current weights, without updating them. */
  public IterationRecord evaluate(RgbImage y, int iteration, double elapsed) {
    try (TFloat32 x = y.toTensor()) {
      return measure(x, y, iteration, () -> elapsed, false).record();
    }
  }

  /** A whole-image measurement of the current weights, with f_ψ(y) when asked. */
  private record Measurement(IterationRecord record, RgbImage output) {}

  /** {@code elapsed} is read when the pass is done (a tiled pass over a large image takes minutes). */
  private Measurement measure(TFloat32 whole, RgbImage y, int iteration, java.util.function.DoubleSupplier elapsed,
      boolean withOutput) {
    Tiling p = plan(y);
    if (p != null) {
      // f(y) tile by tile, then A f(y) and the metrics from it: the network's output tensor is fed, not computed.
      RgbImage out = tiled.superResolve(y, p);
      try (TFloat32 fy = out.toTensor()) {
        Session.Runner runner = session.runner().feed(lr, whole).feed(sr, fy).fetch(loss);
        metrics.values().forEach(runner::fetch);
        try (Result r = runner.run()) {
          return new Measurement(record(r, iteration, elapsed.getAsDouble()), withOutput ? out : null);
        }
      }
    }
    Session.Runner runner = session.runner().feed(lr, whole).fetch(loss);
    metrics.values().forEach(runner::fetch);
    if (withOutput) {
      runner.fetch(sr);
    }
    try (Result r = runner.run()) {
      return new Measurement(record(r, iteration, elapsed.getAsDouble()),
          withOutput ? RgbImage.fromTensor((TFloat32) r.get(1 + metrics.size())) : null);
    }
  }

  private IterationRecord record(Result r, int iteration, double elapsed) {
    return record(r, 0, iteration, elapsed);
  }

  /** The record from fetches {@code first} (the LR MSE) and after it (the metrics). */
  private IterationRecord record(Result r, int first, int iteration, double elapsed) {
    double l = ((TFloat32) r.get(first)).getFloat();
    Map<String, Double> m = new LinkedHashMap<>();
    int i = first + 1;
    for (String name : metrics.keySet()) {
      m.put(name, (double) ((TFloat32) r.get(i++)).getFloat());
    }
    return new IterationRecord(iteration, l, IterationRecord.psnrFromMse(l), m, elapsed);
  }

  /**
   * One optimiser step on {@code input} (the sampler's {@code windows}) at the schedule's rate for iteration t;
   * fetch 0 is the objective; the caller adds fetches.
   */
  private Session.Runner step(TFloat32 input, List<Window> windows, int t, int margin, List<Tensor> open) {
    int k = stepsSinceReset + 1;
    Session.Runner runner = session.runner().feed(lr, input).fetch(objective).addTarget(updates.apply());
    termTargets.forEach(runner::addTarget);
    for (LossTerm.Built term : terms) {
      term.feed(runner, windows, open);
    }
    if (margin > 0) {
      TInt32 m = TInt32.scalarOf(margin);
      open.add(m);
      runner.feed(lossMargin, m);
    }
    runner.feed(updates.learningRate(), scalar(options.schedule().at(t), open));
    for (Optimizer.StepFeed f : updates.feeds()) {
      runner.feed(f.placeholder(), scalar(f.valueAtStep().applyAsDouble(k), open));
    }
    return runner;
  }

  private static TFloat32 scalar(double v, List<Tensor> open) {
    TFloat32 t = TFloat32.scalarOf((float) v);
    open.add(t);
    return t;
  }

  /**
   * Runs Algorithm 1 on the observation {@code y} (the model's LR input) from the current weights.
   * A non-finite loss stops the run and returns the last weights whose loss was finite.
   */
  public FineTuneResult run(RgbImage y, IterationListener listener) {
    return run(y, listener, 0);
  }

  /**
   * As {@link #run(RgbImage, IterationListener)}, also handing the listener f_ψt(y) every {@code outputEvery}
   * iterations (0 = never).
   *
   * <p>Each iteration t: remember ψ_t; measure the whole image when due (LR-PSNR of A f_ψt(y) vs y: the curve, the
   * stop rule and keep-best read only these); take one optimiser step on the sampler's windows; stop when the stop
   * rule, the iteration cap or the time budget says so. With the whole-image sampler the measurement is the
   * step's own forward pass.
   */
  public FineTuneResult run(RgbImage y, IterationListener listener, int outputEvery) {
    try {
      return loop(y, listener, outputEvery);
    } finally {
      terms.forEach(term -> term.finish(session));
    }
  }

  private FineTuneResult loop(RgbImage y, IterationListener listener, int outputEvery) {
    Sampler sampler = options.sampler().forImage(y.height(), y.width());
    checkSize(y, sampler);
    checkWholeImageStep(y, sampler);
    options.lossTerms().forEach(term -> term.check(y.height(), y.width()));
    long t0 = System.nanoTime();
    RgbImage start = null; // f_ψ0(y), taken from iteration 0's measurement
    List<IterationRecord> curve = new ArrayList<>();
    String reason = "max_iterations";
    int done = 0;
    double bestValue = Double.NaN;
    IterationRecord bestRecord = null;
    String bestMetric = bestMetricName();
    boolean higherBetter = !(options.stopRule() instanceof PlateauStopRule p) || p.higherIsBetter();
    boolean fused = sampler.wholeImage();
    try (TFloat32 whole = y.toTensor()) {
      for (int t = 0; t < options.maxIterations(); t++) {
        session.runner().addTarget(lastGood[t % 2].save()).run();
        boolean listenerOutput = outputEvery > 0 && t % outputEvery == 0;
        boolean withOutput = listenerOutput || t == 0;
        boolean measuring = t % options.measureEvery() == 0 || withOutput;
        Measurement measured = null;
        if (measuring && !fused) {
          measured = measure(whole, y, t, () -> elapsed(t0), withOutput);
        }
        double stepLoss;
        List<Tensor> scalars = new ArrayList<>();
        try (TFloat32 batch = fused ? null : sampler.batch(y, t)) {
          Session.Runner runner = step(fused ? whole : batch, sampler.windows(y.height(), y.width(), t), t,
              sampler.lossMargin(), scalars);
          // The measurement's LR MSE: the objective itself when it is the plain loss, else fetched after it.
          int mseAt = objective == loss ? 0 : 1;
          if (measuring && fused) {
            if (mseAt == 1) {
              runner.fetch(loss);
            }
            metrics.values().forEach(runner::fetch);
            if (withOutput) {
              runner.fetch(sr);
            }
          }
          try (Result r = runner.run()) {
            stepsSinceReset++;
            stepLoss = ((TFloat32) r.get(0)).getFloat();
            if (measuring && fused) {
              measured = new Measurement(record(r, mseAt, t, elapsed(t0)),
                  withOutput ? RgbImage.fromTensor((TFloat32) r.get(mseAt + 1 + metrics.size())) : null);
            }
          }
        } finally {
          scalars.forEach(Tensor::close);
        }
        if (t == 0) {
          start = measured.output();
        }
        if (!Double.isFinite(stepLoss) || (measured != null && !Double.isFinite(measured.record().loss()))) {
          // ψ_t is bad; ψ_{t-1} (saved in the other slot one iteration ago) had a finite loss.
          int keep = Math.max(0, t - 1);
          session.runner().addTarget(lastGood[keep % 2].restore()).run();
          reason = NON_FINITE_LOSS;
          LOG.debug("loss became {} at iteration {}; kept the weights of iteration {}", stepLoss, t, keep);
          done = keep;
          break;
        }
        done = t + 1;
        if (measured != null) {
          IterationRecord rec = measured.record();
          curve.add(rec);
          if (listenerOutput) {
            listener.onOutput(t, measured.output());
          }
          listener.onIteration(rec, options.maxIterations());
          if (options.keepBest()) {
            double v = rec.metric(bestMetric);
            if (Double.isNaN(bestValue) || (higherBetter ? v > bestValue : v < bestValue)) {
              bestValue = v;
              bestRecord = rec;
              session.runner().addTarget(bestFromLastGood[t % 2]).run(); // lastGood[t % 2] holds ψ_t
            }
          }
          Optional<String> stop = options.stopRule().check(curve);
          if (stop.isPresent()) {
            reason = stop.get();
            break;
          }
        }
        if (options.timeBudget() != null && System.nanoTime() - t0 >= options.timeBudget().toNanos()) {
          reason = "time_budget";
          break;
        }
      }
      double seconds = elapsed(t0);
      if (curve.isEmpty()) { // no iteration ran (K = 0, or a non-finite loss at once): one pass gives both
        Measurement m = measure(whole, y, 0, () -> 0, true);
        return new FineTuneResult(m.output(), m.output(), List.copyOf(curve), m.record(), m.record(), 0, reason,
            seconds);
      }
      // ψ_done, the weights after the last step, is measured too: it is what is returned unless keep-best finds
      // an earlier measurement better, and the curve (and the last progress line) end with what is returned.
      IterationRecord startRecord = curve.get(0);
      Measurement last = done == 0 ? new Measurement(startRecord, start) : measure(whole, y, done, () -> seconds, true);
      if (done > 0 && curve.get(curve.size() - 1).iteration() != done) {
        curve.add(last.record());
        listener.onIteration(last.record(), options.maxIterations());
      }
      if (options.keepBest() && bestRecord != null && done > 0) {
        double lastValue = last.record().metric(bestMetric);
        if (higherBetter ? bestValue > lastValue : bestValue < lastValue) {
          session.runner().addTarget(best.restore()).run();
          last = new Measurement(bestRecord, bestRecord.iteration() == 0 ? start : superResolve(y));
        }
      }
      return new FineTuneResult(start, last.output(), List.copyOf(curve), startRecord, last.record(), done, reason,
          seconds);
    }
  }

  private static double elapsed(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private String bestMetricName() {
    return options.stopRule() instanceof PlateauStopRule p ? p.metric() : "lr_psnr";
  }

  private void checkSize(RgbImage y, Sampler sampler) {
    int s = options.operator().scale();
    long outputBytes = 12L * s * s * y.height() * y.width(); // one f(y) as floats; the run holds about three
    if (3 * outputBytes > Runtime.getRuntime().maxMemory()) {
      throw new UserInputException(String.format(java.util.Locale.ROOT, "The x%d output of a %dx%d image takes "
          + "%.1f GB as floats and a run holds about three of them, more than Java's %.1f GB heap; give Java more "
          + "memory (SRTUNE_JAVA_OPTS=-Xmx...) or use a smaller image.", s, y.height(), y.width(), outputBytes / 1e9,
          Runtime.getRuntime().maxMemory() / 1e9));
    }
    int min = Math.max(4, (options.operator().minInputSize() + s - 1) / s + 2 * sampler.lossMargin());
    if (y.height() < min || y.width() < min) {
      throw new UserInputException("The LR image is " + y.height() + "x" + y.width() + "; it must be at least "
          + min + "x" + min + " pixels for this operator, so use a larger image.");
    }
  }

  /** Puts the pretrained weights back (the values at {@link #attach}) and zeroes the optimiser's slots: a fresh start. */
  public void resetToPretrained() {
    session.runner().addTarget(pretrained.restore()).addTarget(updates.resetSlots()).run();
    stepsSinceReset = 0;
  }

  /**
   * Writes the current (fine-tuned) weights as a SavedModel: the original meta graph, without the training
   * subgraph, and a fresh variables checkpoint written by the model's own saver. Needs an attached bundle.
   */
  public void export(Path dir, Map<String, Object> metadata) throws IOException {
    if (metaGraph == null || !metaGraph.hasSaverDef()) {
      throw new UserInputException("This model has no saver in its meta graph, so it cannot be exported; "
          + "attach to a SavedModelBundle.");
    }
    SaverDef saver = metaGraph.getSaverDef();
    Path target = dir.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = dev.srtune.graph.savedmodel.SrSavedModelWriter.siblingDirectory(target, "");
    try {
      Files.createDirectories(tmp.resolve("variables"));
      try (TString prefix = TString.scalarOf(tmp.resolve("variables").resolve("variables").toString())) {
        session.runner().feed(tensorName(saver.getFilenameTensorName()), prefix)
            .addTarget(opName(saver.getSaveTensorName())).run();
      }
      org.tensorflow.proto.SavedModel model = org.tensorflow.proto.SavedModel.newBuilder()
          .setSavedModelSchemaVersion(1).addMetaGraphs(metaGraph).build();
      Files.write(tmp.resolve("saved_model.pb"), model.toByteArray());
      dev.srtune.graph.savedmodel.SrSavedModelWriter.writeMetadata(tmp, metadata);
      dev.srtune.graph.savedmodel.SrSavedModelWriter.replaceDirectory(tmp, target);
    } finally {
      dev.srtune.graph.savedmodel.SrSavedModelWriter.deleteRecursively(tmp);
    }
  }

  private static String tensorName(String name) {
    return name.contains(":") ? name.substring(0, name.lastIndexOf(':')) : name;
  }

  private static String opName(String name) {
    String n = tensorName(name);
    return n.startsWith("^") ? n.substring(1) : n;
  }

  /** Closes nothing: the graph and session belong to the caller. */
  @Override
  public void close() {}
}
