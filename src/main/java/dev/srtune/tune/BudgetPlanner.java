package dev.srtune.tune;

import java.util.Locale;

/**
 * Sizes a run to its time budget (the {@code planned} schedule, {@code --time-budget S}): from a probe of the run's
 * own step and measurement times it works out how many iterations fit, and when fewer fit than the schedule's own
 * length it compresses the schedule to them, so that a short run ends with its rate decayed, converged rather than
 * interrupted. Pure arithmetic: {@link FineTuner} times the probe.
 *
 * <ul>
 *   <li><b>Cheaper steps.</b> Where the schedule does not fit and the options train the whole network, only the
 *       quarter of its layers nearest the output trains ({@link #CHEAPER_LAYERS}), from a higher rate
 *       ({@link #COMPRESSED_RATE_FACTOR}): the part before them is not differentiated, and on EnhanceNet x2 (Set5) 100
 *       such iterations ended within 0.05 dB of fast's ~270, where 70 whole-network ones at the best rate measured
 *       ended 0.22 dB below (docs/time-to-quality.md). While fewer than {@link #FEW_ITERATIONS} of those fit,
 *       each trains on half the crops (down to one).
 *   <li><b>Probes.</b> Each probe costs two steps of the budget (EnhanceNet x3 baby spent 3.6 s before its plan): the
 *       cheaper layers are timed first and the options' own only where those fit the schedule (a step training a
 *       superset of them is no faster), and a halving of the crops that cannot reach {@link #FEW_ITERATIONS} even
 *       at half the step time is passed over untimed.
 *   <li><b>Iterations.</b> N = ((1 − {@link #SLACK}) of the budget − time spent − the start and end
 *       measurements) / (step + measurement / cadence).
 *   <li><b>Fits.</b> N at least the schedule's length (where its rate reaches 0, else the cap): the options run as
 *       they are, capped at N; where only the cheaper layers' steps fit it, the options as they are on those (the
 *       raised rate makes up for iterations a plan lacks: at 6× over 440–630 iterations a LapSRN ×2 run's LR-PSNR
 *       fell 3.5 dB below its peak, under its start, at the rate's peak); {@link #stretched} spreads the cosine over
 *       all N where the network starts far less consistent with y than y's bicubic enlargement.
 *   <li><b>Compressed.</b> Otherwise the cosine runs over N iterations from the higher rate; about
 *       {@link #MEASUREMENTS} whole-image measurements (at most {@link #MEASUREMENT_SHARE} of the budget, however
 *       many iterations fit: EnhanceNet x3 baby measured every 10th of 152 iterations spent a third of its 30 s on
 *       17 measurements), and the plateau window spans as many measurements as the schedule's
 *       did.
 * </ul>
 */
public final class BudgetPlanner {
  /** Whole-image measurements a compressed run aims at (keep-best and backtracking read them)... */
  static final int MEASUREMENTS = 10;
  /**
   * ...as long as they take no more than this share of the budget (at least two besides the start and end): a Set5
   * x3 baby pass takes 0.55 s, and its steps are what it lacks (ten measurements were a fifth of its 30 s).
   */
  static final double MEASUREMENT_SHARE = 0.10;
  /** What a compressed plan trains where the options train everything. */
  public static final TrainLayers CHEAPER_LAYERS = new TrainLayers("last:25%");
  /** A compressed plan's base rate over the schedule's (partial tuning takes larger steps: measured at 6e-4). */
  static final double COMPRESSED_RATE_FACTOR = 6;
  /**
   * Below this many iterations a compressed plan halves the crops per step instead: more, noisier steps did better
   * in every comparison on EnhanceNet (Set5): x2, ~105 iterations on four crops against ~180 on two, -0.05 against
   * +0.06 dB mean (vs fast); x3 bird, 100-120 on two crops against 185 on one, -0.03 to -0.15 against +0.04.
   */
  static final int FEW_ITERATIONS = 150;

  /**
   * The share of a compressed plan's iterations over which its raised rate ramps up: EnhanceNet x3 (Set5) baby,
   * woman and head fell below their start at the first measurement without it, and a backtrack costs the iterations
   * before it and half the rate after (baby, 185 iterations: with a tenth it still fell, -0.23 dB against fast; with
   * a fifth it did not, -0.11; bird the same either way, +0.05 / +0.04).
   */
  static final double WARMUP_SHARE = 0.2;

  /**
   * The share of the budget a plan leaves free for the machine's variation (a step timed once is not every step):
   * planned for 30 s, EnhanceNet x2 runs took 27.2–30.9 s with another job on the machine, and with 5 % left
   * EnhanceNet x3 baby took 31.1 s alone (its last 35 iterations ran about 45 % slower than those before).
   */
  static final double SLACK = 0.1;

  private BudgetPlanner() {}

  /** The plan for {@code o} (whose time budget is set) from what one probe measured of its steps. */
  public static RunPlan plan(FineTuneOptions o, RunPlan.Probe probe) {
    return plan(o, o.sampler(), (l, s) -> probe, o.trainLayers(), s -> s);
  }

  /**
   * The plan for {@code o} (whose time budget is set) on {@code sampler}, the options' fitted to the image:
   * {@code probe} times steps training a selection of layers on a sampler. Where the schedule does not fit, the
   * compressed one trains {@code cheaperLayers}, and while that leaves fewer than {@link #FEW_ITERATIONS}, it runs
   * on {@code cheaper} of the sampler (half the crops, down to one); each timed in turn.
   */
  public static RunPlan plan(FineTuneOptions o, Sampler sampler,
      java.util.function.BiFunction<TrainLayers, Sampler, RunPlan.Probe> probe, TrainLayers cheaperLayers,
      java.util.function.UnaryOperator<Sampler> cheaper) {
    return plan(o, sampler, probe, cheaperLayers, cheaper, 0);
  }

  /**
   * As {@link #plan(FineTuneOptions, Sampler, java.util.function.BiFunction, TrainLayers,
   * java.util.function.UnaryOperator)}, where the run also makes a whole-image pass every {@code passesEvery}
   * iterations for its listener (an HR-PSNR curve; 0 = none): those are measurements too, so the plan counts them
   * and measures no less often.
   */
  public static RunPlan plan(FineTuneOptions o, Sampler sampler,
      java.util.function.BiFunction<TrainLayers, Sampler, RunPlan.Probe> probe, TrainLayers cheaperLayers,
      java.util.function.UnaryOperator<Sampler> cheaper, int passesEvery) {
    double budget = o.timeBudget().toMillis() / 1e3;
    int length = o.schedule().stillFrom().orElse(o.maxIterations());
    int every = passesEvery > 0 ? Math.min(o.measureEvery(), passesEvery) : o.measureEvery();
    TrainLayers layers = o.trainLayers();
    RunPlan.Probe p;
    if (cheaperLayers.equals(layers)) {
      p = probe.apply(layers, sampler);
    } else { // the cheaper steps first: where they do not fit the schedule, the options' (a superset) do not either
      RunPlan.Probe c = probe.apply(cheaperLayers, sampler);
      p = fits(budget, c, every) >= length ? probe.apply(layers, sampler) : null;
      if (p == null || fits(budget, p, every) < length) {
        layers = cheaperLayers; // cheaper steps, larger: measured better at equal seconds
        p = p == null ? c : new RunPlan.Probe(c.stepSeconds(), c.measureSeconds(), p.spentSeconds());
      }
    }
    int fits = fits(budget, p, every);
    if (fits >= length) { // as it is: the raised rate of a compressed plan makes up for iterations, none are missing
      int k = Math.min(o.maxIterations(), fits);
      return new RunPlan(k, sampler, layers, o.schedule(), o.measureEvery(), o.stopRule(), budget, p,
          spent(budget, p, k, every, "the schedule fits: " + o.schedule().spec() + " as it is"
              + (layers.equals(o.trainLayers()) ? "" : ", training " + layers.spec() + " of the layers")));
    }
    Sampler s = sampler;
    for (Sampler next = cheaper.apply(s); fits < FEW_ITERATIONS && !next.equals(s); next = cheaper.apply(s)) {
      // More, smaller steps. A step on half the crops takes at least half as long: where even that leaves fewer than
      // FEW_ITERATIONS and the crops can be halved again, this sampler is passed over untimed (a probe costs two
      // steps); the sampler the plan runs on is always timed.
      RunPlan.Probe bound = new RunPlan.Probe(p.stepSeconds() / 2, p.measureSeconds(), p.spentSeconds());
      boolean passOver = !s.wholeImage() && !cheaper.apply(next).equals(next)
          && fits(budget, bound, every) < FEW_ITERATIONS;
      s = next;
      p = passOver ? bound : probe.apply(layers, s);
      fits = fits(budget, p, every);
    }
    int m = measurements(budget, p);
    int first = Math.max(1, Math.round(fits / (float) m));
    int spaced = Math.max(1, Math.round(fits(budget, p, first) / (float) m)); // fewer measurements, more steps
    int cadence = passesEvery > 0 ? Math.min(spaced, passesEvery) : spaced;
    int n = Math.max(1, Math.min(o.maxIterations(), fits(budget, p, cadence)));
    double factor = layers.equals(o.trainLayers()) ? rateFactor(length, n) : COMPRESSED_RATE_FACTOR;
    LearningRateSchedule schedule = o.schedule().over(n, factor);
    if (factor > 1 && !(schedule instanceof LearningRateSchedule.Warmup)) { // a raised rate eased in
      schedule = new LearningRateSchedule.Warmup(Math.max(1, (int) Math.round(n * WARMUP_SHARE)), schedule);
    }
    StopRule rule = o.stopRule().plateau().<StopRule>map(q -> new PlateauStopRule(q.metric(), q.higherIsBetter(),
        q.delta(), Math.max(cadence, q.window() * cadence / o.measureEvery()))).orElse(o.stopRule());
    String what = schedule.equals(o.schedule()) ? o.schedule().spec() + " cut at " + n + " iterations"
        : String.format(Locale.ROOT, "%s compressed to %s from rate %.3g (x%.2f)", o.schedule().spec(),
            schedule.spec(), schedule.base(), factor);
    what += (layers.all() ? "" : ", training " + layers.spec() + " of the layers") + " on " + s.spec();
    return new RunPlan(n, s, layers, schedule, cadence, rule, budget, p, spent(budget, p, n, cadence, what)
        + (fits < 1 ? "; the budget fits less than one step: give a larger --time-budget" : ""));
  }

  /**
   * Whether {@code plan} runs the options' schedule as it is with iterations to spare, so that
   * {@link #stretched} may spread it over them.
   */
  static boolean mayStretch(RunPlan plan, FineTuneOptions o) {
    return plan.planned() && plan.schedule().equals(o.schedule())
        && plan.maxIterations() > o.schedule().stillFrom().orElse(Integer.MAX_VALUE);
  }

  /**
   * A plan that fits with iterations to spare, its cosine stretched over all of them at the schedule's rate where the
   * network's output at the start is far less consistent with the LR image than y's own bicubic enlargement
   * ({@code startLrPsnr} at least {@link #STRETCH_GAP_DB} below {@code bicubicLrPsnr}, the LR-PSNR of A U y): there
   * is much to correct, and fast's 300 iterations end before it is (the npm demo, ESRGAN slim ×4 at ×2, 6.1 dB:
   * 27.52 dB in 300 iterations, below bicubic's 27.75, 28.0 stretched). Where the network starts nearly as
   * consistent as bicubic, the longer fit of the LR image costs HR-PSNR on textured images (FSRCNN-small ×4 at ×2
   * butterfly, 2.0 dB: −0.77 dB stretched), and the plan stays as it is. docs/time-to-quality.md has the table.
   */
  static RunPlan stretched(RunPlan plan, FineTuneOptions o, double startLrPsnr, double bicubicLrPsnr) {
    double gap = bicubicLrPsnr - startLrPsnr;
    if (!mayStretch(plan, o) || !(gap >= STRETCH_GAP_DB)) {
      return plan;
    }
    int n = plan.maxIterations();
    LearningRateSchedule schedule = o.schedule().over(n, 1);
    return new RunPlan(n, plan.sampler(), plan.trainLayers(), schedule, plan.measureEvery(),
        plan.stopRule(), plan.budget(), plan.probe(), spent(plan.budget(), plan.probe(), n, plan.measureEvery(),
            String.format(Locale.ROOT, "the network's output starts %.2f dB less consistent with the LR image than "
                + "its bicubic enlargement (LR-PSNR %.2f against %.2f dB): %s stretched to %s at its rate",
                gap, startLrPsnr, bicubicLrPsnr, o.schedule().spec(), schedule.spec())
            + (plan.trainLayers().equals(o.trainLayers()) ? "" : ", training " + plan.trainLayers().spec()
                + " of the layers")));
  }

  /**
   * How far below bicubic's LR-PSNR the start's must be for a plan that fits to stretch: 3.01 dB, twice bicubic's
   * LR error. Chosen on the 24 Set5 runs of the small networks where stretching had been measured (FSRCNN,
   * FSRCNN-small, ESPCN at native and smaller scales; every one of the 6 at 2.6 dB or more gained, +0.06 to +0.46,
   * every loss, up to 0.77, was below 2.5), and the demo; then checked on networks not used to choose it (DCSCN,
   * SRCNN at ×2, ESRGAN slim ×4 at ×2): docs/time-to-quality.md.
   */
  static final double STRETCH_GAP_DB = 10 * Math.log10(2);

  /** How many measurements a compressed run makes between its start and end. */
  static int measurements(double budget, RunPlan.Probe p) {
    return p.measureSeconds() <= 0 ? MEASUREMENTS
        : (int) Math.max(2, Math.min(MEASUREMENTS, Math.floor(MEASUREMENT_SHARE * budget / p.measureSeconds())));
  }

  /** Iterations that fit in the budget with a measurement every {@code every}. */
  static int fits(double budget, RunPlan.Probe p, int every) {
    double left = budget * (1 - SLACK) - p.spentSeconds() - 2 * p.measureSeconds();
    double perIteration = p.stepSeconds() + p.measureSeconds() / every;
    return perIteration <= 0 ? Integer.MAX_VALUE : (int) Math.max(0, Math.floor(left / perIteration));
  }

  /**
   * How much larger a compressed schedule's base rate is than its own where the layers stay the options' (a
   * selection the user made): (length / N)^{@link #RATE_EXPONENT}, at most {@link #MAX_RATE_FACTOR}; at N = 70 on
   * EnhanceNet x2 3e-4 did best of 1, 2, 3 and 6 e-4.
   */
  static double rateFactor(int length, int n) {
    return n >= length ? 1 : Math.min(MAX_RATE_FACTOR, Math.pow(length / (double) n, RATE_EXPONENT));
  }

  static final double RATE_EXPONENT = 0.75;
  static final double MAX_RATE_FACTOR = 3;

  private static String spent(double budget, RunPlan.Probe p, int n, int every, String what) {
    String measured = p.measureSeconds() > 0 ? String.format(Locale.ROOT, "%d whole-image measurements of %.3f s",
        n / every + 2, p.measureSeconds()) : "the whole image measured with every " + (every == 1 ? "" : every + "th ")
        + "step";
    return String.format(Locale.ROOT, "planned for %s s: %.1f s start-up and probe, %d steps of %.3f s, %s; %s",
        budget == Math.rint(budget) ? String.format(Locale.ROOT, "%.0f", budget) : String.valueOf(budget),
        p.spentSeconds(), n, p.stepSeconds(), measured, what);
  }
}
