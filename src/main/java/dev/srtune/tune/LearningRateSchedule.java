package dev.srtune.tune;

import java.util.Locale;

/**
 * The learning rate over iterations, fed to the optimiser as a scalar every step (the graph never changes).
 * Specs: {@code constant}, {@code step:EVERY:GAMMA} (×GAMMA every EVERY iterations), {@code cosine:PERIOD[:FLOOR]}
 * (half a cosine from the base rate down to FLOOR×base over PERIOD iterations, then FLOOR×base), and a warm-up prefix
 * {@code warmup:N+<schedule>} (linear from base/N to base over the first N iterations).
 */
public interface LearningRateSchedule {

  /** The learning rate of iteration t (0-based). */
  double at(int t);

  /** The rate the schedule starts from (before warm-up). */
  double base();

  String spec();

  /**
   * The iteration from which the rate is 0 for good, if it has one (a cosine to 0): the weights stop moving there,
   * so a plateau stop rule fires within one window after it.
   */
  default java.util.OptionalInt stillFrom() {
    return java.util.OptionalInt.empty();
  }

  /**
   * This schedule run over {@code iterations} from {@code rateFactor} × its base rate, for a run planned shorter
   * than its own length ({@link BudgetPlanner}): a cosine is compressed to that period; a schedule without a length
   * is returned as it is.
   */
  default LearningRateSchedule over(int iterations, double rateFactor) {
    return this;
  }

  static LearningRateSchedule constant(double base) {
    return new Constant(base);
  }

  static LearningRateSchedule parse(String spec, double base) {
    if (!(base > 0)) {
      throw new IllegalArgumentException("the learning rate must be > 0, got " + base);
    }
    String s = spec.trim();
    try {
      if (s.startsWith("warmup:")) {
        int plus = s.indexOf('+');
        if (plus < 0) {
          throw new IllegalArgumentException("warm-up needs a schedule after '+'");
        }
        return new Warmup(Integer.parseInt(s.substring("warmup:".length(), plus)), parse(s.substring(plus + 1), base));
      }
      String[] p = s.split(":");
      return switch (p[0]) {
        case "constant" -> new Constant(base);
        case "step" -> new Step(base, Integer.parseInt(p[1]), Double.parseDouble(p[2]));
        case "cosine" -> new Cosine(base, Integer.parseInt(p[1]), p.length > 2 ? Double.parseDouble(p[2]) : 0.0);
        default -> throw new IllegalArgumentException("unknown schedule '" + p[0] + "'");
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Bad --lr-schedule '" + spec + "' (" + e.getMessage() + "); use constant, "
          + "step:EVERY:GAMMA, cosine:PERIOD[:FLOOR] or warmup:N+<one of those>.");
    }
  }

  record Constant(double base) implements LearningRateSchedule {
    @Override
    public double at(int t) {
      return base;
    }

    @Override
    public String spec() {
      return "constant";
    }
  }

  record Step(double base, int every, double gamma) implements LearningRateSchedule {
    public Step {
      if (every < 1 || !(gamma > 0)) {
        throw new IllegalArgumentException("step needs EVERY >= 1 and GAMMA > 0");
      }
    }

    @Override
    public double at(int t) {
      return base * Math.pow(gamma, t / every);
    }

    @Override
    public String spec() {
      return String.format(Locale.ROOT, "step:%d:%s", every, gamma);
    }
  }

  record Cosine(double base, int period, double floor) implements LearningRateSchedule {
    public Cosine {
      if (period < 1 || !(floor >= 0 && floor <= 1)) {
        throw new IllegalArgumentException("cosine needs PERIOD >= 1 and 0 <= FLOOR <= 1");
      }
    }

    @Override
    public double at(int t) {
      double f = t >= period ? floor : floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t / period));
      return base * f;
    }

    @Override
    public String spec() {
      return String.format(Locale.ROOT, "cosine:%d:%s", period, floor);
    }

    @Override
    public java.util.OptionalInt stillFrom() {
      return floor == 0 ? java.util.OptionalInt.of(period) : java.util.OptionalInt.empty();
    }

    @Override
    public LearningRateSchedule over(int iterations, double rateFactor) {
      return new Cosine(base * rateFactor, Math.max(1, iterations), floor);
    }
  }

  record Warmup(int iterations, LearningRateSchedule after) implements LearningRateSchedule {
    public Warmup {
      if (iterations < 1) {
        throw new IllegalArgumentException("warm-up needs N >= 1");
      }
    }

    @Override
    public double at(int t) {
      return t < iterations ? after.at(t) * (t + 1) / iterations : after.at(t);
    }

    @Override
    public double base() {
      return after.base();
    }

    @Override
    public String spec() {
      return "warmup:" + iterations + "+" + after.spec();
    }

    @Override
    public java.util.OptionalInt stillFrom() {
      return after.stillFrom();
    }

    @Override
    public LearningRateSchedule over(int n, double rateFactor) {
      LearningRateSchedule a = after.over(n, rateFactor);
      return a == after ? this : new Warmup(Math.max(1, Math.min(iterations, n / 4)), a);
    }
  }
}
