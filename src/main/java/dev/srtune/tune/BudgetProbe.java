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
   * weights and fresh moments are put back, so the run starts where an unplanned one does).
   */
  RunPlan plan(TFloat32 whole, RgbImage y, Sampler sampler, long t0) {
    if (options.timeBudget() == null) {
      return RunPlan.of(options, sampler);
    }
    TrainLayers cheaper = options.trainLayers().all() ? BudgetPlanner.CHEAPER_LAYERS : options.trainLayers();
    double[] measurement = {Double.NaN};
    RunPlan plan = BudgetPlanner.plan(options, sampler, (layers, s) -> probe(whole, y, s, layers, t0, measurement),
        cheaper, s -> (s.wholeImage() ? options.sampler() : s).halved(y.height(), y.width()));
    subgraph.train(plan.trainLayers());
    subgraph.snapshots.restorePretrained(); // the probes' steps undone: the run starts where an unplanned one does
    subgraph.resetSlots();
    subgraph.follow(plan.schedule());
    LOG.info(plan.howSpent());
    return plan;
  }

  /**
   * Times {@link #PROBE_STEPS} steps training {@code layers} after one that pays their start-up, and (once per run;
   * it does not depend on the layers) one whole-image measurement.
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
    if (sampler.wholeImage()) { // a measurement comes with a step
      measured[0] = 0;
    } else if (Double.isNaN(measured[0]) || measured[0] == 0) {
      long m0 = System.nanoTime();
      passes.measure(whole, y, 0, () -> elapsed(t0), false);
      measured[0] = (System.nanoTime() - m0) / 1e9;
    }
    return new RunPlan.Probe(step, measured[0], elapsed(t0));
  }

  /** Optimiser steps each of the budget's probes times (after one that pays the start-up). */
  static final int PROBE_STEPS = 1;

  private static double elapsed(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
