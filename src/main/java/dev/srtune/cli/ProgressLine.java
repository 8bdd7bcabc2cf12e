package dev.srtune.cli;

import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.IterationRecord;
import dev.srtune.tune.PlateauStopRule;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A progress line a person can watch: iteration, whole-image LR-PSNR, how far the stop rule is from firing (the
 * LR gain over its window against δ), speed, elapsed time and the ETA to the cap or the time budget (an upper bound:
 * the stop rule usually ends the run sooner). On a terminal it rewrites one line; otherwise it prints a line every
 * few seconds.
 */
public final class ProgressLine implements IterationListener {
  private final PrintStream out;
  private String label;
  /** Whether the label is to get the precision that ran (the session asked for auto). */
  private boolean namePrecision;
  private final boolean tty = System.console() != null;
  private double budgetSeconds;
  private PlateauStopRule rule;
  private final List<IterationRecord> history = new ArrayList<>();
  private long lastPrint;
  private double firstPassSeconds;

  public ProgressLine(PrintStream out, String label) {
    this(out, label, (java.time.Duration) null);
  }

  /** With a time budget the ETA is capped by what is left of it (the loop stops there). */
  public ProgressLine(PrintStream out, String label, java.time.Duration timeBudget) {
    this(out, label, timeBudget, null);
  }

  /**
   * With the run's options: its time budget, for a plateau rule the window gain next to δ; and its session's
   * precision after the label when it is not fp32, or with {@code auto} the precision that was chosen.
   */
  public ProgressLine(PrintStream out, String label, FineTuneOptions o, dev.srtune.model.Precision precision) {
    this(out, precision == dev.srtune.model.Precision.FP32 || precision == dev.srtune.model.Precision.AUTO ? label
        : label + " (" + precision.spec() + ")", o.timeBudget(), o.stopRule().plateau().orElse(null));
    namePrecision = precision == dev.srtune.model.Precision.AUTO;
    // A rate that reaches 0 stops the weights, and the plateau rule then fires within a window and a measurement.
    if (rule != null && o.schedule().stillFrom().isPresent()) {
      stopBy = o.schedule().stillFrom().getAsInt() + rule.window() + o.measureEvery();
    }
  }

  private ProgressLine(PrintStream out, String label, java.time.Duration timeBudget, PlateauStopRule rule) {
    this.out = out;
    this.label = label;
    this.budgetSeconds = timeBudget == null ? Double.POSITIVE_INFINITY : timeBudget.toMillis() / 1e3;
    this.rule = rule;
  }

  /** The iteration by which the run stops at the latest (the cap, or sooner when the schedule's rate ends at 0). */
  private int stopBy = Integer.MAX_VALUE;

  /** Whether the label already names the plan. */
  private boolean planned;

  /**
   * A planned run: its cap and the iteration its rate reaches 0 come from the plan, the budget from its options;
   * called again when the run's pace corrects the plan.
   */
  @Override
  public void onPlan(dev.srtune.tune.RunPlan plan) {
    if (plan.planned() && rule != null) {
      rule = plan.stopRule().plateau().orElse(rule);
      if (plan.schedule().stillFrom().isPresent()) {
        stopBy = plan.schedule().stillFrom().getAsInt() + rule.window() + plan.measureEvery();
      }
    }
    if (plan.planned() && !planned) { // once: a plan corrected from the run's pace is the same plan
      planned = true;
      budgetSeconds = Double.POSITIVE_INFINITY; // planned, not cut: the ETA comes from the plan's iterations
      label = label + String.format(Locale.ROOT, " [%s s plan%s]", new java.math.BigDecimal(plan.budget())
          .stripTrailingZeros().toPlainString(), plan.trainLayers().all() ? "" : ", " + plan.trainLayers().spec());
    }
  }

  @Override
  public void onPrecision(dev.srtune.model.Precision ran) {
    if (namePrecision) {
      label = label + " (" + ran.spec() + ")";
      namePrecision = false;
    }
  }

  @Override
  public void onIteration(IterationRecord r, int max) {
    if (rule != null) {
      history.add(r);
    }
    long now = System.nanoTime();
    int done = Math.min(r.iteration() + 1, max); // the record after the last step has iteration max
    if (!tty && now - lastPrint < 5_000_000_000L && done != 1 && done != max) {
      return;
    }
    lastPrint = now;
    // The first record's time is the pass over the whole image for f_ψ0(y) (with the start-up); the run ends with
    // one like it. The steps' rate is read from the records after it, so the start pass does not inflate the ETA.
    if (r.iteration() == 0) {
      firstPassSeconds = r.elapsedSeconds();
    }
    double stepping = r.elapsedSeconds() - firstPassSeconds;
    double rate = done > 1 && stepping > 0 ? (done - 1) / stepping : 0;
    int last = Math.min(max, stopBy);
    String eta;
    if (done == max || last <= done) {
      eta = duration(0);
    } else if (rate > 0) {
      eta = duration(Math.min(Math.max(0, last - done) / rate + firstPassSeconds,
          Math.max(0, budgetSeconds - r.elapsedSeconds())));
    } else {
      eta = "? (the first measurements time it)";
    }
    String line = String.format(Locale.ROOT, "%s iter %d/%d  LR-PSNR %.3f dB%s%s  %.2f it/s  %s elapsed, ETA <= %s",
        label, done, max, r.lrPsnr(), metricsText(r), ruleText(), rate, duration(r.elapsedSeconds()), eta);
    if (tty) {
      out.print("\r" + line + "   ");
      if (done == max) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** "gain 0.35 dB/100 it (stops at <= 0.04)" once the window is full. */
  private String ruleText() {
    if (rule == null || history.isEmpty()) {
      return "";
    }
    int t = history.get(history.size() - 1).iteration();
    if (t < rule.window()) {
      return String.format(Locale.ROOT, "  stop rule from it %d", rule.window());
    }
    double gain = rule.gain(history);
    String unit = rule.metric().equals("lr_psnr") ? " dB" : "";
    return String.format(Locale.ROOT, "  gain %.3g%s/%d it (stops at <= %.3g)", gain, unit, rule.window(),
        rule.delta());
  }

  private static String metricsText(IterationRecord r) {
    StringBuilder b = new StringBuilder();
    r.metrics().forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %s %.5f", k.replace('_', '-').toUpperCase(
        Locale.ROOT), v)));
    return b.toString();
  }

  /** Ends a rewritten line before other output. */
  public void finish() {
    if (tty) {
      out.println();
    }
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
