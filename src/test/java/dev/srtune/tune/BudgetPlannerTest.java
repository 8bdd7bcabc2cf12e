package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.graph.degradation.Degradations;
import dev.srtune.tune.RunPlan.Probe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The arithmetic of a planned run, checked against the budget it was given. */
class BudgetPlannerTest {
  private static final FineTuneOptions FAST = Schedules.fast(Degradations.operator(null, "bicubic", 2, null));

  private static FineTuneOptions budget(double seconds) {
    return FAST.withTimeBudget(Duration.ofMillis((long) (seconds * 1000)));
  }

  /** The seconds a plan spends: what was spent, the steps, the measurements every cadence and at both ends. */
  private static double cost(RunPlan p, Probe probe) {
    return probe.spentSeconds() + p.maxIterations() * probe.stepSeconds()
        + (p.maxIterations() / (double) p.measureEvery() + 2) * probe.measureSeconds();
  }

  @Test
  void aScheduleThatFitsRunsAsItIs() {
    Probe probe = new Probe(0.02, 0.01, 1.0); // a small network: 300 iterations take ~7 s
    RunPlan p = BudgetPlanner.plan(budget(30), probe);
    assertSame(FAST.schedule(), p.schedule());
    assertEquals(FAST.measureEvery(), p.measureEvery());
    assertEquals(FAST.stopRule(), p.stopRule());
    assertTrue(p.maxIterations() >= 300 && cost(p, probe) <= 30, p.howSpent());
  }

  @Test
  void aPlanThatFitsStretchesOnlyWhereTheStartIsFarLessConsistentThanBicubic() {
    Probe probe = new Probe(0.02, 0.01, 1.0);
    RunPlan fits = BudgetPlanner.plan(budget(30), probe);
    int n = fits.maxIterations();
    assertTrue(BudgetPlanner.mayStretch(fits, budget(30)) && n > 300, fits.howSpent());
    // twice bicubic's LR error (3.01 dB) or more: the cosine runs over every iteration that fits, at fast's rate
    RunPlan far = BudgetPlanner.stretched(fits, budget(30), 31.44, 37.52);
    LearningRateSchedule.Cosine c = (LearningRateSchedule.Cosine) far.schedule();
    assertEquals(n, far.maxIterations());
    assertEquals(n, c.period());
    assertEquals(Schedules.FAST_LEARNING_RATE, c.base(), 1e-15);
    assertEquals(0.0, c.floor());
    assertEquals(fits.measureEvery(), far.measureEvery());
    assertEquals(fits.stopRule(), far.stopRule());
    assertTrue(far.howSpent().contains("6.08 dB less consistent") && far.howSpent().contains("stretched to cosine:"
        + n), far.howSpent());
    assertTrue(cost(far, probe) <= 30, far.howSpent());
    // less than that (2.96 dB), or better than bicubic: as it is
    assertSame(fits, BudgetPlanner.stretched(fits, budget(30), 40.0, 42.96));
    assertSame(fits, BudgetPlanner.stretched(fits, budget(30), 45.0, 42.0));
    assertSame(fits, BudgetPlanner.stretched(fits, budget(30), Double.NaN, 42.0));
    // a plan that does not fit, one with no iteration to spare and an unplanned run are never stretched
    RunPlan compressed = BudgetPlanner.plan(budget(30), new Probe(0.35, 0.15, 2.0));
    assertFalse(BudgetPlanner.mayStretch(compressed, budget(30)));
    assertSame(compressed, BudgetPlanner.stretched(compressed, budget(30), 20, 40));
    RunPlan exact = new RunPlan(300, fits.sampler(), fits.trainLayers(), fits.schedule(), fits.measureEvery(),
        fits.stopRule(), 30.0, probe, "");
    assertFalse(BudgetPlanner.mayStretch(exact, budget(30)));
    assertFalse(BudgetPlanner.mayStretch(RunPlan.of(FAST, fits.sampler()), FAST));
  }

  @Test
  void aScheduleThatDoesNotFitIsCompressedToTheIterationsThatDo() {
    Probe probe = new Probe(0.35, 0.15, 2.0); // EnhanceNet at x2 on a Set5 image, 2 cores
    RunPlan p = BudgetPlanner.plan(budget(30), probe);
    int n = p.maxIterations();
    assertTrue(cost(p, probe) <= 30 * (1 - BudgetPlanner.SLACK), "within the budget and its slack: " + p.howSpent());
    RunPlan longer = new RunPlan(n + 1, p.sampler(), p.trainLayers(), p.schedule(), p.measureEvery(), p.stopRule(),
        30.0, probe, "");
    assertTrue(cost(longer, probe) > 30 * (1 - BudgetPlanner.SLACK) - probe.stepSeconds(), "no iteration left over: "
        + p.howSpent());
    assertEquals(Math.max(1, Math.round(n / 10f)), p.measureEvery());
    // the raised rate eased in over a fifth of the iterations, then the cosine over all of them
    LearningRateSchedule.Warmup w = (LearningRateSchedule.Warmup) p.schedule();
    assertEquals(Math.round(n * 0.2), w.iterations());
    assertTrue(p.schedule().at(0) < p.schedule().at(w.iterations()), "warming up");
    LearningRateSchedule.Cosine c = (LearningRateSchedule.Cosine) w.after();
    assertEquals(n, c.period());
    assertEquals(0.0, c.floor());
    assertEquals(Schedules.FAST_LEARNING_RATE * Math.min(3, Math.pow(300.0 / n, 0.75)), c.base(), 1e-12);
    // the plateau window spans as many measurements as fast's (3)
    assertEquals(3 * p.measureEvery(), p.stopRule().plateau().orElseThrow().window());
    assertEquals(30.0, p.report().get("budget_seconds"));
    // measurements that cost more are fewer: at most 10 % of the budget
    Probe slowPass = new Probe(0.35, 0.9, 2.0);
    RunPlan q = BudgetPlanner.plan(budget(30), slowPass);
    assertTrue((q.maxIterations() / q.measureEvery()) * 0.9 <= BudgetPlanner.MEASUREMENT_SHARE * 30 + 0.9,
        q.howSpent());
    assertEquals(n, p.report().get("planned_iterations"));
  }

  /**
   * Where the schedule does not fit, the compressed one trains the layers nearest the output from a higher rate,
   * planned from their own probe. They are timed first: where even they do not fit the schedule, the whole network's
   * steps are not timed; where they do, the whole network's are, and run as they are when they fit too; where only
   * the cheaper steps fit, the schedule runs as it is on them (the raised rate makes up for missing iterations).
   */
  @Test
  void aCompressedPlanTrainsTheCheaperLayersItTimed() {
    TrainLayers cheaper = BudgetPlanner.CHEAPER_LAYERS;
    java.util.List<TrainLayers> probed = new java.util.ArrayList<>();
    Sampler four = FAST.sampler();
    Sampler two = four.halved(128, 128);
    RunPlan p = BudgetPlanner.plan(budget(30), four, (l, s) -> {
      probed.add(l);
      return new Probe(l.all() ? 0.38 : 0.12, 0.15, probed.size() * 1.5);
    }, cheaper, x -> x.halved(128, 128));
    assertEquals(java.util.List.of(cheaper), probed);
    assertEquals(cheaper, p.trainLayers());
    assertEquals(four, p.sampler(), "150 or more iterations fit: the crops stay");
    assertEquals(0.12, p.probe().stepSeconds());
    assertTrue(cost(p, p.probe()) <= 30, p.howSpent());
    assertTrue(p.maxIterations() >= BudgetPlanner.FEW_ITERATIONS, p.howSpent());
    assertEquals(Schedules.FAST_LEARNING_RATE * BudgetPlanner.COMPRESSED_RATE_FACTOR, p.schedule().base(), 1e-12);
    assertEquals("last:25%", p.report().get("train_layers"));
    probed.clear();
    RunPlan fits = BudgetPlanner.plan(budget(30), four, (l, s) -> {
      probed.add(l);
      return new Probe(0.02, 0.01, 1);
    }, cheaper, x -> x.halved(128, 128));
    assertEquals(java.util.List.of(cheaper, TrainLayers.ALL), probed);
    assertEquals(TrainLayers.ALL, fits.trainLayers());
    assertEquals(FAST.schedule(), fits.schedule());
    probed.clear();
    RunPlan between = BudgetPlanner.plan(budget(30), four, (l, s) -> { // the cheaper steps fit, the whole net's not
      probed.add(l);
      return new Probe(l.all() ? 0.38 : 0.06, 0.15, probed.size() * 1.5);
    }, cheaper, x -> x.halved(128, 128));
    assertEquals(java.util.List.of(cheaper, TrainLayers.ALL), probed);
    assertEquals(cheaper, between.trainLayers());
    assertEquals(FAST.schedule(), between.schedule(), "no iteration is missing: fast's rate, not a raised one");
    assertEquals(0.06, between.probe().stepSeconds());
    assertEquals(3.0, between.probe().spentSeconds(), "the time the second probe took is spent too");
    assertTrue(cost(between, between.probe()) <= 30, between.howSpent());
  }

  /**
   * About ten measurements however many iterations fit (EnhanceNet x3 baby measured every 10th of 152 and spent a
   * third of its budget on them); whole-image passes the listener asks for (an HR curve every 10) are measurements
   * too: the plan measures no less often and counts them.
   */
  @Test
  void measurementsAreAboutTenAndTheListenersPassesCount() {
    Probe probe = new Probe(0.1, 0.5, 3.0); // cheap steps, a costly whole-image pass
    TrainLayers same = FAST.trainLayers();
    RunPlan p = BudgetPlanner.plan(budget(30), FAST.sampler(), (l, s) -> probe, same, s -> s, 0);
    int measured = p.maxIterations() / p.measureEvery();
    assertTrue(p.measureEvery() > FAST.measureEvery() && measured >= 5 && measured <= 7, p.howSpent());
    assertTrue(measured * 0.5 <= BudgetPlanner.MEASUREMENT_SHARE * 30 + 0.5, p.howSpent());
    assertTrue(cost(p, probe) <= 30 * (1 - BudgetPlanner.SLACK), p.howSpent());
    RunPlan curve = BudgetPlanner.plan(budget(30), FAST.sampler(), (l, s) -> probe, same, s -> s, 10);
    assertEquals(10, curve.measureEvery());
    assertTrue(cost(curve, probe) <= 30 * (1 - BudgetPlanner.SLACK), curve.howSpent());
    assertTrue(curve.maxIterations() < p.maxIterations(), curve.howSpent());
  }

  /**
   * Where the cheaper layers leave fewer than 150 iterations, half the crops per step, timed too; a halving that
   * cannot reach 150 even at half the step time is passed over untimed.
   */
  @Test
  void tooFewIterationsHalveTheCrops() {
    Sampler four = FAST.sampler();
    Sampler two = four.halved(128, 128);
    Sampler one = two.halved(128, 128);
    assertEquals("crops:48x2,margin=6,seed=1", two.spec());
    java.util.List<String> probed = new java.util.ArrayList<>();
    RunPlan p = BudgetPlanner.plan(budget(30), four, (l, s) -> { // ~85 iterations on four crops, ~160 on two
      probed.add(l.spec() + " " + s.spec());
      return new Probe(l.all() ? 0.7 : s.equals(four) ? 0.25 : s.equals(two) ? 0.13 : 0.07, 0.2, 3.0);
    }, BudgetPlanner.CHEAPER_LAYERS, x -> x.halved(128, 128));
    assertEquals(java.util.List.of("last:25% " + four.spec(), "last:25% " + two.spec()), probed);
    assertEquals(two, p.sampler(), "150 iterations fit on two crops: not halved again");
    assertTrue(p.maxIterations() >= BudgetPlanner.FEW_ITERATIONS && cost(p, p.probe()) <= 30, p.howSpent());
    probed.clear();
    RunPlan q = BudgetPlanner.plan(budget(30), four, (l, s) -> { // ~50 on four: even at half the step, two < 150
      probed.add(l.spec() + " " + s.spec());
      return new Probe(l.all() ? 0.9 : s.equals(four) ? 0.45 : s.equals(two) ? 0.24 : 0.13, 0.2, 3.0);
    }, BudgetPlanner.CHEAPER_LAYERS, x -> x.halved(128, 128));
    assertEquals(java.util.List.of("last:25% " + four.spec(), "last:25% " + one.spec()), probed);
    assertEquals(one, q.sampler());
    assertEquals(0.13, q.probe().stepSeconds(), "the plan's own sampler is timed");
    assertEquals(FAST.sampler().forImage(40, 40), FAST.sampler().halved(40, 40), "a small image stays whole");
  }

  @Test
  void theRateGrowsAtMostThreefoldAndABudgetTooSmallStillPlansOneStep() {
    Probe probe = new Probe(2.0, 1.0, 5.0);
    RunPlan p = BudgetPlanner.plan(budget(4), probe);
    assertEquals(1, p.maxIterations());
    assertEquals(Schedules.FAST_LEARNING_RATE * BudgetPlanner.MAX_RATE_FACTOR, p.schedule().base(), 1e-12);
    assertTrue(p.howSpent().contains("give a larger --time-budget"), p.howSpent());
  }

  @Test
  void unplannedRunsKeepTheOptionsOwnLength() {
    RunPlan p = RunPlan.of(FAST, FAST.sampler());
    assertEquals(FAST.maxIterations(), p.maxIterations());
    assertSame(FAST.schedule(), p.schedule());
    assertTrue(!p.planned() && p.report() == null);
  }
}
