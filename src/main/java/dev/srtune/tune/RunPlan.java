package dev.srtune.tune;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How long a run is and what follows from its length: the iteration cap, the learning rate over those iterations,
 * how often the whole image is measured and the stop rule's window. Without a time budget it is the options' own;
 * with one, {@link BudgetPlanner} sizes it to the budget from a timed probe, so that a short run ends converged (its
 * rate decayed) rather than cut.
 *
 * @param maxIterations the cap K of this run
 * @param sampler what each iteration trains on (the options', or half the crops where a compressed plan would
 *     otherwise have too few iterations)
 * @param trainLayers which weights the steps update (the options', or the layers nearest the output in a
 *     compressed plan)
 * @param schedule the learning rate over iterations
 * @param measureEvery whole-image LR measurements every this many iterations
 * @param stopRule the convergence rule (a plateau's window sized to the cadence)
 * @param budget the seconds it was planned for, or null for an unplanned run
 * @param probe what the plan was made from (null when unplanned)
 * @param howSpent one sentence: the budget and how it is spent ("" when unplanned)
 */
public record RunPlan(int maxIterations, Sampler sampler, TrainLayers trainLayers, LearningRateSchedule schedule,
    int measureEvery, StopRule stopRule,
    Double budget, Probe probe, String howSpent) {

  /**
   * What a timed probe of the run's own steps measured: seconds per optimiser step, per whole-image measurement, and
   * the seconds the run had spent when the plan was made (start-up and the probe).
   */
  public record Probe(double stepSeconds, double measureSeconds, double spentSeconds) {}

  /** The options' own length on {@code sampler} (theirs, fitted to the image): no budget, nothing planned. */
  public static RunPlan of(FineTuneOptions o, Sampler sampler) {
    return new RunPlan(o.maxIterations(), sampler, o.trainLayers(), o.schedule(), o.measureEvery(), o.stopRule(),
        null, null, "");
  }

  public boolean planned() {
    return budget != null;
  }

  /** What report.json records of the plan (null when unplanned). */
  public Map<String, Object> report() {
    if (!planned()) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("budget_seconds", budget);
    m.put("step_seconds", round(probe.stepSeconds()));
    m.put("measurement_seconds", round(probe.measureSeconds()));
    m.put("spent_before_plan_seconds", round(probe.spentSeconds()));
    m.put("planned_iterations", maxIterations);
    m.put("train_layers", trainLayers.spec());
    m.put("sampling", sampler.spec());
    m.put("learning_rate_schedule", schedule.spec());
    m.put("learning_rate", schedule.base());
    m.put("measure_every", measureEvery);
    m.put("stop_rule", stopRule.describe());
    m.put("how_spent", howSpent);
    return m;
  }

  private static double round(double s) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.4f", s));
  }
}
