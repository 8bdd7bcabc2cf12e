package dev.srtune.tune;

import dev.srtune.UserInputException;
import dev.srtune.graph.savedmodel.SessionExport;
import dev.srtune.graph.savedmodel.SrSignature;
import dev.srtune.graph.train.ModelVariable;
import dev.srtune.graph.train.Optimizer;
import dev.srtune.image.RgbImage;
import dev.srtune.tune.WholeImagePassRunner.Stepped;
import dev.srtune.tune.loss.LossTerm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;

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

  private final FineTuneOptions options;
  private final TrainingSubgraph subgraph;
  private final WeightSnapshots snapshots;
  private final WholeImagePassRunner passes;
  private final MetaGraphDef metaGraph;

  private FineTuner(Graph graph, Session session, Output<TFloat32> lr, Output<TFloat32> sr, FineTuneOptions options,
      WholeImagePasses passSettings, MetaGraphDef metaGraph) {
    this.options = options;
    this.metaGraph = metaGraph;
    this.subgraph = new TrainingSubgraph(graph, session, lr, sr, options);
    this.snapshots = subgraph.snapshots;
    this.passes = new WholeImagePassRunner(subgraph, options, passSettings);
  }

  /**
   * Attaches to a loaded SavedModel with srtune's signature ({@code lr → sr}); whole-image passes as AUTO. The
   * bundle is the caller's and trusted as such: {@code SrModel.load} checks a model file's ops before loading it
   * (only tensor math may run), a bundle the caller loaded itself is not checked here.
   */
  public static FineTuner attach(SavedModelBundle bundle, FineTuneOptions options) {
    return attach(bundle, options, WholeImagePasses.AUTO);
  }

  /** As {@link #attach(SavedModelBundle, FineTuneOptions)}, running the whole-image passes as {@code passes} say. */
  public static FineTuner attach(SavedModelBundle bundle, FineTuneOptions options, WholeImagePasses passes) {
    SignatureDef sig = bundle.metaGraphDef().getSignatureDefMap().get(SrSignature.KEY);
    if (sig == null || !sig.getInputsMap().containsKey(SrSignature.INPUT)
        || !sig.getOutputsMap().containsKey(SrSignature.OUTPUT)) {
      throw new UserInputException("The SavedModel has no '" + SrSignature.KEY + "' signature with input '"
          + SrSignature.INPUT + "' and output '" + SrSignature.OUTPUT + "'; build or import it with srtune.");
    }
    Graph g = bundle.graph();
    return new FineTuner(g, bundle.session(), output(g, sig.getInputsMap().get(SrSignature.INPUT)),
        output(g, sig.getOutputsMap().get(SrSignature.OUTPUT)), options, passes, bundle.metaGraphDef());
  }

  /** Attaches to any graph and session the caller owns, given the network's input and output tensors. */
  public static FineTuner attach(Graph graph, Session session, Output<TFloat32> lr, Output<TFloat32> sr,
      FineTuneOptions options) {
    return attach(graph, session, lr, sr, options, WholeImagePasses.AUTO);
  }

  /** As {@link #attach(Graph, Session, Output, Output, FineTuneOptions)}, with the whole-image passes' settings. */
  public static FineTuner attach(Graph graph, Session session, Output<TFloat32> lr, Output<TFloat32> sr,
      FineTuneOptions options, WholeImagePasses passes) {
    return new FineTuner(graph, session, lr, sr, options, passes, null);
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

  public List<ModelVariable> variables() {
    return subgraph.variables;
  }

  /** How the last run's whole-image passes ran: "whole", or "N tiles, core C, margin M" (for reports). */
  public String wholeImagePasses() {
    String windows = passes.measurementDescription();
    return passes.planner().describe() + (windows.isEmpty() ? "" : "; " + windows);
  }

  public FineTuneOptions options() {
    return options;
  }

  /** f_ψ(y) with the current weights (tile by tile where the {@link WholeImagePasses} settings say so). */
  public RgbImage superResolve(RgbImage y) {
    return passes.superResolve(y);
  }

  /** Whole-image LR-PSNR and LR metrics of the current weights, without updating them. */
  public IterationRecord evaluate(RgbImage y, int iteration, double elapsed) {
    try (TFloat32 x = y.toTensor()) {
      return passes.measure(x, y, iteration, () -> elapsed, false).record();
    }
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
   * rule or the iteration cap (the options', or a time budget's plan) says so. With the whole-image sampler the
   * measurement is the step's own forward pass. Where the stop rule ends the run on the measurement of ψ_t, the run
   * ends with ψ_t: the step taken with that measurement is undone, never measured (on a LapSRN x2 graph one such step
   * took the LR-PSNR from above its start to 0.11 dB below it).
   */
  public FineTuneResult run(RgbImage y, IterationListener listener, int outputEvery) {
    try {
      return loop(y, listener, outputEvery);
    } finally {
      subgraph.finish();
    }
  }

  /** Algorithm 1. */
  private FineTuneResult loop(RgbImage y, IterationListener listener, int outputEvery) {
    Sampler sampler = options.sampler().forImage(y.height(), y.width());
    check(y, sampler);
    subgraph.forgetFrozenPart();
    long t0 = System.nanoTime();
    KeepBest keepBest = new KeepBest(options, snapshots);
    Backtracking backtracking = new Backtracking(options);
    subgraph.scaleRate(backtracking::rateScale);
    String reason = "max_iterations";
    int done = 0;
    try (TFloat32 whole = y.toTensor()) {
      BudgetProbe budget = new BudgetProbe(subgraph, passes, options);
      RunPlan plan = budget.plan(whole, y, sampler, t0, outputEvery);             // K, rate for the time budget
      subgraph.announce();
      listener.onPlan(plan);
      RunCurve curve = new RunCurve(listener, plan.maxIterations());
      for (int t = 0; t < plan.maxIterations(); t++) {
        snapshots.remember(t);                                                    // ψ_t
        boolean show = outputEvery > 0 && t % outputEvery == 0;                   // f_ψt(y) to the listener
        boolean due = show || t == 0 || t % plan.measureEvery() == 0;
        Stepped s = passes.measureAndStep(whole, y, plan.sampler(), t, due, show || t == 0, () -> elapsed(t0));
        if (!s.finite()) {
          done = snapshots.restoreBefore(t);                                      // ψ_{t−1} had a finite loss
          reason = NON_FINITE_LOSS;
          LOG.debug("loss became {} at iteration {}; kept the weights of iteration {}", s.loss(), t, done);
          break;
        }
        done = t + 1;
        if (s.measured() != null) {
          curve.add(t, s.measured(), show);
          keepBest.offer(s.measured().record(), t);
          if (backtracking.fellBelowStart(s.measured().record())) {       // steps too large for this network
            if (backtracking.exhausted()) {
              reason = Backtracking.STOP_REASON;
              break;
            }
            backtrack(backtracking, t);
            curve.restartAt(t, keepBest.best());                          // the stop rule's window starts again
          }
          Optional<String> stop = plan.stopRule().check(curve.forStopRule());
          if (stop.isPresent()) {
            reason = stop.get();
            done = snapshots.restoreBefore(t + 1);                           // ψ_t, which the rule judged
            break;
          }
        }
        plan = curve.follow(budget.corrected(plan, done, elapsed(t0), curve.started())); // to its own pace
      }
      return result(whole, y, curve, keepBest, done, reason, elapsed(t0), backtracking.iterations(), plan);
    }
  }

  /** Puts the best measured weights back, zeroes the optimiser's moments and slows the rate down. */
  private void backtrack(Backtracking backtracking, int t) {
    snapshots.restoreBest();
    subgraph.resetSlots();
    LOG.info("iteration {}: the LR-PSNR fell below the start's, so the best weights so far are back and the "
        + "learning rate ramps up to {} of the schedule's", t, Math.pow(Backtracking.FACTOR,
        backtracking.iterations().size()));
  }

  /** Refuses, before any work, an image too large or too small, or a whole-image step that does not fit. */
  private void check(RgbImage y, Sampler sampler) {
    ImageSizeCheck.check(y, options.operator(), sampler);
    passes.planner().checkWholeImageStep(y, sampler);
    options.lossTerms().forEach(term -> term.check(y.height(), y.width()));
  }

  /**
   * What the run returns: f_ψ(y) of ψ_done, the weights after the last step (measured, so that the curve and the
   * last progress line end with what is returned), or of the best measured ψ_t with keep-best when it is better.
   */
  private FineTuneResult result(TFloat32 whole, RgbImage y, RunCurve curve, KeepBest keepBest, int done,
      String reason, double seconds, List<Integer> backtracks, RunPlan plan) {
    if (curve.records().isEmpty()) { // no iteration ran (K = 0, or a non-finite loss at once): one pass gives both
      Measurement m = passes.measure(whole, y, 0, () -> 0, true);
      return new FineTuneResult(m.output(), m.output(), List.of(), m.record(), m.record(), 0, reason, seconds,
          List.of(), plan);
    }
    IterationRecord startRecord = curve.records().get(0);
    Measurement last = new Measurement(startRecord, curve.start());
    if (done > 0) {
      last = passes.measure(whole, y, done, () -> seconds, true);
      curve.end(last.record());
      IterationRecord best = keepBest.restoreIfBetterThan(last.record());
      if (best != null) {
        last = new Measurement(best, best.iteration() == 0 ? curve.start() : passes.superResolve(y));
        if (best.iteration() == 0) {
          LOG.info("no fine-tuned weights did better on the LR image than the pretrained ones (LR-PSNR {} dB at the "
              + "start), so the network's own output is returned", String.format(java.util.Locale.ROOT, "%.2f",
              best.lrPsnr()));
        }
      }
    }
    return new FineTuneResult(curve.start(), last.output(), List.copyOf(curve.records()), startRecord,
        last.record(), done, reason, seconds, backtracks, plan);
  }

  private static double elapsed(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Puts the pretrained weights back (the values at {@link #attach}) and zeroes the optimiser's slots: a fresh start. */
  public void resetToPretrained() {
    snapshots.restorePretrained();
    subgraph.resetSlots();
    subgraph.forgetFrozenPart();
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
    SessionExport.write(subgraph.session, metaGraph, dir, metadata);
  }

  /** Closes nothing: the graph and session belong to the caller. */
  @Override
  public void close() {}
}
