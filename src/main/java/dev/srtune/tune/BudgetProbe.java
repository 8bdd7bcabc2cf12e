package dev.srtune.tune;

import dev.srtune.image.RgbImage;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.types.TFloat32;

/**
 * A run's plan, made at its start: without a time budget the options' own length; with one, {@link BudgetPlanner}'s
 * plan from probes of this run's own steps (training the layers and on the sampler the plan is weighing) and of its
 * whole-image measurement. The probes' steps are undone before the run starts.
 */
final class BudgetProbe {
  private static final Logger LOG = LogManager.getLogger(BudgetProbe.class);
  private final TrainingSubgraph subgraph;
  private final WholeImagePassRunner passes;
  private final FineTuneOptions options;

  BudgetProbe(TrainingSubgraph subgraph, WholeImagePassRunner passes, FineTuneOptions options) {
    this.subgraph = subgraph;
    this.passes = passes;
    this.options = options;
  }

  /**
   * The run's length: the options' own, or with a time budget the plan {@link BudgetPlanner} makes from probes of
   * this run's steps and measurement (each timed after a first step that pays the start-up; then the pretrained
   * weights and fresh moments are put back, so the run starts where an unplanned one does); the listener's
   * whole-image passes every {@code passesEvery} iterations (0 = none) are counted as measurements. Where the
   * options' schedule fits with iterations to spare, the pretrained network's LR-PSNR and that of y's bicubic
   * enlargement are measured once more, and {@link BudgetPlanner#stretched} may spread the schedule over them.
   */
  RunPlan plan(TFloat32 whole, RgbImage y, Sampler sampler, long t0, int passesEvery) {
    if (options.timeBudget() == null) {
      return RunPlan.of(options, sampler);
    }
    TrainLayers cheaper = options.trainLayers().all() ? BudgetPlanner.CHEAPER_LAYERS : options.trainLayers();
    double[] measurement = {Double.NaN, Double.NaN}; // training some layers, training all
    RunPlan plan = BudgetPlanner.plan(options, sampler, (layers, s) -> probe(whole, y, s, layers, t0, measurement),
        cheaper, s -> (s.wholeImage() ? options.sampler() : s).halved(y.height(), y.width()), passesEvery);
    subgraph.train(plan.trainLayers());
    subgraph.snapshots.restorePretrained(); // the probes' steps undone: the run starts where an unplanned one does
    subgraph.resetSlots();
    // Time to spare: is there much to correct? (Measured on the whole image, as the reference is: not where a
    // photo-size image is measured on windows.)
    if (BudgetPlanner.mayStretch(plan, options) && passes.windows(y) == null) {
      double start = passes.measure(whole, y, 0, () -> elapsed(t0), false).record().lrPsnr();
      plan = BudgetPlanner.stretched(plan, options, start, subgraph.bicubicLrPsnr(whole));
    }
    subgraph.follow(plan.schedule());
    LOG.info(plan.howSpent());
    return plan;
  }

  /**
   * Times {@link #PROBE_STEPS} steps training {@code layers} after one that pays their start-up, and one whole-image
   * measurement: once for the whole network and once for any selection (fed its frozen part's features, a
   * measurement costs less: EnhanceNet x3 baby 0.40 s against 0.56).
   */
  private RunPlan.Probe probe(TFloat32 whole, RgbImage y, Sampler sampler, TrainLayers layers, long t0,
      double[] measured) {
    subgraph.train(layers);
    passes.measureAndStep(whole, y, sampler, 0, false, false, () -> elapsed(t0));
    long s0 = System.nanoTime();
    for (int t = 1; t <= PROBE_STEPS; t++) {
      passes.measureAndStep(whole, y, sampler, t, false, false, () -> elapsed(t0));
    }
    double step = (System.nanoTime() - s0) / 1e9 / PROBE_STEPS;
    int k = layers.all() ? 1 : 0; // a measurement training some layers is fed their frozen part's features
    if (sampler.wholeImage()) { // a measurement comes with a step
      measured[k] = 0;
    } else if (Double.isNaN(measured[k]) || measured[k] == 0) {
      long m0 = System.nanoTime();
      passes.measure(whole, y, 0, () -> elapsed(t0), false);
      measured[k] = (System.nanoTime() - m0) / 1e9;
    }
    return new RunPlan.Probe(step, measured[k], elapsed(t0));
  }

  /** Optimiser steps each of the budget's probes times (after one that pays the start-up). */
  static final int PROBE_STEPS = 1;

  /**
   * How far the iterations that still fit may differ from the plan's before the pace changes it: at 10 % an
   * EnhanceNet x3 baby run planned 190 iterations on a probe of 0.109 s, ran at about 0.10 s and ended at 24.5 s of
   * its 27 (the plan it would have made was within 10 %).
   */
  static final double PACE_TOLERANCE = 0.05;

  /** Whether the pace has been read at a tenth of the plan (a lengthened plan's tenth comes later). */
  private boolean tenthSeen;

  /**
   * The plan corrected at iteration {@code t} = a tenth and a third of a compressed plan (and after), from the run's
   * own pace since {@code started} (the end of its start's whole-image measurement; the measurements since are taken
   * at the probe's time, the rest is the steps' pace): a step timed once in a probe can be off (EnhanceNet x2 baby
   * planned 109 iterations for 30 s and took 20.5 s; x3 baby's probe timed 0.17 s where its steps averaged 0.11 s,
   * and at a tenth the run was still as slow), so where the iterations that still fit differ by more than
   * {@link #PACE_TOLERANCE}, the cosine is stretched or shrunk to them (its base rate kept; the rate at t moves by a
   * few percent). A tenth in, the pace only lengthens a plan: the first steps are the slowest (the demo: 0.142 s per
   * iteration at 17, 0.112 at 53), and shortening on them left Set5 x3 runs 5 s of their 30 unused. A third in it
   * changes it either way. After that, at every measurement, a plan that would end past its budget at the pace so far
   * is shortened (x3 woman: 9 % slower than its probe at a third, then slower still; 31.1 s), and one that would end
   * early is lengthened. Unchanged otherwise.
   */
  RunPlan corrected(RunPlan plan, int t, double elapsed, double started) {
    int n0 = plan.maxIterations();
    boolean tenth = t == Math.max(10, n0 / 10) && !tenthSeen; // once: a lengthened plan has a later tenth
    tenthSeen |= tenth;
    boolean third = t == Math.max(10, n0 / 3);
    boolean later = t > Math.max(10, n0 / 3) && t % plan.measureEvery() == 0;
    if (!plan.planned() || plan.schedule().equals(options.schedule()) || t >= n0 || !(tenth || third || later)) {
      return plan;
    }
    double measure = plan.probe().measureSeconds();
    int measuredSince = (t - 1) / plan.measureEvery(); // the whole-image measurements after the start's
    double step = Math.max(0, elapsed - started - measuredSince * measure) / t;
    double perIteration = step + measure / plan.measureEvery();
    double left = plan.budget() * (1 - BudgetPlanner.SLACK) - elapsed - measure;
    int n = t + (int) Math.max(0, Math.floor(left / perIteration));
    n = Math.min(n, options.maxIterations());
    double end = elapsed + (n0 - t) * perIteration + measure; // where the plan as it is would end
    boolean longer = n > (1 + PACE_TOLERANCE) * n0;
    boolean change = third ? longer || n < (1 - PACE_TOLERANCE) * n0 // a third in: either way
        : tenth ? longer                                                // a tenth in: the first steps are the slowest
        : longer || end > plan.budget();          // later: a plan that would end early, or overrun its budget
    if (!change) {
      return plan;
    }
    RunPlan c = new RunPlan(n, plan.sampler(), plan.trainLayers(), plan.schedule().over(n, 1), plan.measureEvery(),
        plan.stopRule(), plan.budget(), plan.probe(), plan.howSpent() + String.format(java.util.Locale.ROOT,
            "; at iteration %d the run's own pace (%.3f s per iteration) made it %d iterations", t, perIteration, n));
    subgraph.follow(c.schedule());
    LOG.info("iteration {}: at {} s per iteration the plan's {} iterations become {}", t,
        String.format(java.util.Locale.ROOT, "%.3f", perIteration), plan.maxIterations(), n);
    return c;
  }

  private static double elapsed(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
