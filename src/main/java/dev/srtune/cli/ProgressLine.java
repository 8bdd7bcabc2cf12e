package dev.srtune.cli;

import dev.srtune.tune.IterationListener;
import dev.srtune.tune.IterationRecord;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line a person can watch: iteration, LR-PSNR, iterations/s and ETA to the cap. On a terminal it
 * rewrites one line; otherwise it prints a line every few seconds.
 */
public final class ProgressLine implements IterationListener {
  private final PrintStream out;
  private final String label;
  private final boolean tty = System.console() != null;
  private long lastPrint;

  private final double budgetSeconds;

  public ProgressLine(PrintStream out, String label) {
    this(out, label, null);
  }

  /** With a time budget the ETA is capped by what is left of it (the loop stops there). */
  public ProgressLine(PrintStream out, String label, java.time.Duration timeBudget) {
    this.out = out;
    this.label = label;
    this.budgetSeconds = timeBudget == null ? Double.POSITIVE_INFINITY : timeBudget.toMillis() / 1e3;
  }

  @Override
  public void onIteration(IterationRecord r, int max) {
    long now = System.nanoTime();
    int done = r.iteration() + 1;
    if (!tty && now - lastPrint < 5_000_000_000L && done != 1 && done != max) {
      return;
    }
    lastPrint = now;
    double rate = r.elapsedSeconds() > 0 ? done / r.elapsedSeconds() : 0;
    double eta = Math.min(rate > 0 ? (max - done) / rate : 0, Math.max(0, budgetSeconds - r.elapsedSeconds()));
    String line = String.format(Locale.ROOT, "%s iter %d/%d  LR-PSNR %.3f dB%s  %.2f it/s  ETA %s (at most)",
        label, done, max, r.lrPsnr(),
        metricsText(r), rate, duration(eta));
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
