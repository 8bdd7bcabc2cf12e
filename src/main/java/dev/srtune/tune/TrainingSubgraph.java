package dev.srtune.tune;

import dev.srtune.UserInputException;
import dev.srtune.graph.degradation.BicubicUpsampler;
import dev.srtune.graph.degradation.Boundary;
import dev.srtune.graph.train.DataFidelityLoss;
import dev.srtune.graph.train.ModelVariable;
import dev.srtune.graph.train.Optimizer;
import dev.srtune.graph.train.TrainableVariables;
import dev.srtune.image.RgbImage;
import dev.srtune.tune.loss.DataFidelity;
import dev.srtune.tune.loss.LossTerm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The training subgraph added to a caller's graph, under a name scope of its own: A f(y), the LR MSE, the objective
 * (the sum of the options' loss terms), the LR metrics, the gradients, the optimiser's updates and the
 * {@link WeightSnapshots}. Only what it added is initialised; the caller's restored weights keep their values.
 * It builds the session runs of a step and reads a whole-image measurement from a run's result.
 */
final class TrainingSubgraph {
  private static final Logger LOG = LogManager.getLogger(TrainingSubgraph.class);

  final Session session;
  final Output<TFloat32> lr;
  final Output<TFloat32> sr;
  /** The variables the run may change (the snapshots' and keep-best's): the network's, or --train-layers'. */
  final List<ModelVariable> variables;
  /** Every float variable of the network feeding sr. */
  private final List<ModelVariable> network;
  private final Graph graph;
  private final Ops tf;
  private final String scope;
  /**
   * Each selection of layers built so far: its optimiser's updates (gradients and slots built once each), what it
   * trains in words (the console's line) and its frozen part's features.
   */
  private record Selection(Optimizer.Updates updates, String description, PrefixFeatures prefix) {}

  private final Map<TrainLayers, Selection> built = new LinkedHashMap<>();
  /** What the steps update now. */
  private TrainLayers training;
  private PrefixFeatures prefix;
  final WeightSnapshots snapshots;
  private final FineTuneOptions options;
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
  private Optimizer.Updates updates;
  /** What the loss terms run with every step besides the network's updates (their own variables' updates). */
  private final List<Op> termTargets = new ArrayList<>();
  /** Optimiser steps since its slots were last zeroed (Adam's bias correction counts from there). */
  private int stepsSinceReset;
  /** The schedule's rate at iteration t is multiplied by this ({@link #scaleRate}). */
  private java.util.function.IntToDoubleFunction rateScale = t -> 1;
  /** The learning rate over iterations: the options', or the one a run's {@link RunPlan} sized to its budget. */
  private LearningRateSchedule schedule;

  TrainingSubgraph(Graph graph, Session session, Output<TFloat32> lr, Output<TFloat32> sr, FineTuneOptions options) {
    this.session = session;
    this.lr = lr;
    this.sr = sr;
    this.options = options;
    this.schedule = options.schedule();
    String scope = freeScope(graph);
    List<ModelVariable> network = TrainableVariables.feeding(graph, sr, FineTuner.SCOPE);
    if (network.isEmpty()) {
      throw new UserInputException("The model has no trainable variables feeding its output, so there is nothing to "
          + "fine-tune; export it with its weights as variables, or import its frozen graph with 'srtune build "
          + "graphdef', which turns weight constants into variables.");
    }
    this.network = network;
    this.variables = options.trainLayers().select(graph, sr, network);
    Ops tf = Ops.create(graph).withSubScope(scope);
    Operand<TFloat32> predictedLr = options.operator().apply(tf, sr);
    this.lossMargin = tf.withName("loss_margin").placeholderWithDefault(tf.constant(0), Shape.scalar());
    this.loss = tf.withName("loss").identity(DataFidelityLoss.build(tf, predictedLr, lr, lossMargin));
    this.objective = objective(tf, options.lossTerms(), new LossTerm.Inputs(sr, predictedLr, lr, lossMargin,
        tf.math.mul(lossMargin, tf.constant(options.operator().scale())), loss));
    for (LrMetric m : options.extraMetrics()) {
      metrics.put(m.name(), m.build(tf.withSubScope(m.name()), predictedLr, lr));
    }
    this.graph = graph;
    this.tf = tf;
    this.scope = scope;
    train(options.trainLayers());
    for (int i = 0; i < terms.size(); i++) {
      termTargets.addAll(terms.get(i).stepTargets(tf.withSubScope("term_" + i + "_step"), objective));
    }
    this.snapshots = new WeightSnapshots(tf, session, variables);
    session.initialize(); // runs only the initializers added above; restored weights keep their values
    snapshots.savePretrained();
    long params = variables.stream().mapToLong(ModelVariable::size).sum();
    LOG.debug("attached fine-tuning to {} variables ({} parameters), operator {}, optimizer {}, sampling {}",
        variables.size(), params, options.operator(), options.optimizer().spec(), options.sampler().spec());
  }

  /**
   * Steps from now on update only what {@code layers} selects (a subset of {@link #variables}); their gradients and
   * optimiser slots are built the first time, the slots zeroed. The layers before the first trained one are not
   * differentiated.
   */
  void train(TrainLayers layers) {
    if (layers.equals(training)) {
      return;
    }
    Selection selection = built.get(layers);
    if (selection == null) {
      // chosen among the whole network's layers (a share of the options' selection would shrink it again), kept to
      // what the run may change
      List<ModelVariable> vars = layers.select(graph, sr, network).stream().filter(variables::contains).toList();
      Ops t = built.isEmpty() ? tf : tf.withSubScope("train_" + built.size());
      Output<?>[] xs = vars.stream().map(ModelVariable::output).toArray(Output<?>[]::new);
      Output<?>[] grads = graph.addGradients(scope + "_gradients" + (built.isEmpty() ? "" : "_" + built.size()),
          new Output<?>[] {objective.asOutput()}, xs, null);
      selection = new Selection(options.optimizer().build(t, vars, grads), layers.describe(vars, network),
          PrefixFeatures.of(graph, lr, sr, vars, layers.all()));
      built.put(layers, selection);
      if (built.size() > 1) {
        session.initialize(); // the new slots only
      }
    }
    updates = selection.updates();
    training = layers;
    prefix = selection.prefix();
    prefix.invalidate(); // another selection's steps may have moved this one's frozen weights
    if (built.size() > 1) {
      resetSlots();
    }
  }

  /** What the steps update now. */
  TrainLayers training() {
    return training;
  }

  /** Says on the console which layers the run trains, where it is not all of them (once its plan is made). */
  void announce() {
    if (!training.all()) {
      LOG.info("training {}", built.get(training).description());
    }
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

  /** The first of {@link FineTuner#SCOPE}, {@code SCOPE_1}, ... that no op of {@code g} uses yet. */
  private static String freeScope(Graph g) {
    for (int i = 0; ; i++) {
      String candidate = i == 0 ? FineTuner.SCOPE : FineTuner.SCOPE + "_" + i;
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

  /**
   * One optimiser step on {@code input} (the sampler's {@code windows}) at the schedule's rate for iteration t;
   * fetch 0 is the objective; the caller adds fetches, runs it and then calls {@link #stepped()}.
   */
  Session.Runner step(TFloat32 input, List<Window> windows, int t, int margin, List<Tensor> open) {
    int k = stepsSinceReset + 1;
    Session.Runner runner = session.runner().feed(lr, input).fetch(objective).addTarget(updates.apply());
    termTargets.forEach(runner::addTarget);
    for (LossTerm.Built term : terms) {
      term.feed(runner, windows, open);
    }
    feedMargin(runner, margin, open);
    runner.feed(updates.learningRate(), scalar(schedule.at(t) * rateScale.applyAsDouble(t), open));
    for (Optimizer.StepFeed f : updates.feeds()) {
      runner.feed(f.placeholder(), scalar(f.valueAtStep().applyAsDouble(k), open));
    }
    return runner;
  }

  /**
   * Feeds a step on {@code windows} of {@code y} ({@code whole} its tensor) the frozen part's features, sliced from
   * their whole-image values ({@link PrefixFeatures}), where the selection trained leaves a frozen part.
   */
  void feedFrozenPart(Session.Runner runner, TFloat32 whole, RgbImage y, List<Window> windows, List<Tensor> open) {
    prefix.feed(session, runner, whole, y, windows, open);
  }

  /** Forgets the frozen part's features (a new run: its image, or weights set from outside, may differ). */
  void forgetFrozenPart() {
    prefix.invalidate();
  }

  /**
   * ‖A U y − y‖² (mean, the whole image) of y's bicubic enlargement U y (MATLAB's kernel,
   * {@link BicubicUpsampler}): how consistent with y an output no better than bicubic is. Built on first use.
   */
  private Operand<TFloat32> bicubicLoss;

  /** The LR-PSNR of y's bicubic enlargement under A ({@code whole} is y's tensor). */
  double bicubicLrPsnr(TFloat32 whole) {
    if (bicubicLoss == null) {
      Ops b = tf.withSubScope("bicubic_reference");
      Operand<TFloat32> enlarged = new BicubicUpsampler(scale(), Boundary.REPLICATE).apply(b, lr);
      bicubicLoss = DataFidelityLoss.build(b, options.operator().apply(b, enlarged), lr, b.constant(0));
    }
    try (Result r = session.runner().feed(lr, whole).fetch(bicubicLoss).run()) {
      return IterationRecord.psnrFromMse(((TFloat32) r.get(0)).getFloat());
    }
  }

  /** The scale of A: the network's output is this many times its input. */
  int scale() {
    return options.operator().scale();
  }

  /** Counts a step that ran. */
  void stepped() {
    stepsSinceReset++;
  }

  private static TFloat32 scalar(double v, List<Tensor> open) {
    TFloat32 t = TFloat32.scalarOf((float) v);
    open.add(t);
    return t;
  }

  /**
   * Adds a whole-image measurement's fetches to {@code runner}: the LR MSE (unless it is the objective a step
   * already fetches first), the metrics and f(y) when asked. Returns the index of its LR MSE among the fetches.
   */
  int fetchMeasurement(Session.Runner runner, boolean stepFetchedFirst, boolean withOutput) {
    int mseAt = 0;
    if (stepFetchedFirst) {
      mseAt = objective == loss ? 0 : 1;
    }
    if (!stepFetchedFirst || mseAt == 1) {
      runner.fetch(loss);
    }
    metrics.values().forEach(runner::fetch);
    if (withOutput) {
      runner.fetch(sr);
    }
    return mseAt;
  }

  /** Feeds the loss margin (LR pixels left out at each window border) unless it is 0, the default. */
  void feedMargin(Session.Runner runner, int margin, List<Tensor> open) {
    if (margin > 0) {
      TInt32 m = TInt32.scalarOf(margin);
      open.add(m);
      runner.feed(lossMargin, m);
    }
  }

  /** The measurement {@link #fetchMeasurement} asked of a run, its LR MSE at fetch {@code first}. */
  Measurement measurement(Result r, int first, int iteration, double elapsed, boolean withOutput) {
    double l = ((TFloat32) r.get(first)).getFloat();
    Map<String, Double> m = new LinkedHashMap<>();
    int i = first + 1;
    for (String name : metrics.keySet()) {
      m.put(name, (double) ((TFloat32) r.get(i++)).getFloat());
    }
    return new Measurement(new IterationRecord(iteration, l, IterationRecord.psnrFromMse(l), m, elapsed),
        withOutput ? RgbImage.fromTensor((TFloat32) r.get(i)) : null);
  }

  /** Multiplies the schedule's rate at iteration t by {@code scale(t)}: {@link Backtracking}'s slow-down. */
  void scaleRate(java.util.function.IntToDoubleFunction scale) {
    rateScale = scale;
  }

  /** Steps from now on take their rate from {@code s} (a planned run's). */
  void follow(LearningRateSchedule s) {
    schedule = s;
  }

  /** Zeroes the optimiser's slots: its next step is a first step. */
  void resetSlots() {
    session.runner().addTarget(updates.resetSlots()).run();
    stepsSinceReset = 0;
  }

  /**
   * Lets each loss term read what it needs from the session when a run ends, and lets the frozen part's features go
   * (a photo's take hundreds of MB; the next run computes its own).
   */
  void finish() {
    terms.forEach(term -> term.finish(session));
    prefix.invalidate();
  }
}
