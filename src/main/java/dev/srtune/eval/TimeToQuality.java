package dev.srtune.eval;

import dev.srtune.degrade.LrSynthesis;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.IterationRecord;
import dev.srtune.tune.SessionSettings;
import dev.srtune.tune.TuneJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark that guards the default schedule: fine-tune one image with several schedules back to back from the
 * same pretrained weights, recording HR-PSNR against wall seconds, and compare the time each needs to reach the
 * HR-PSNR the first (reference) schedule has at a given iteration.
 */
public final class TimeToQuality {
  /** One point of a schedule's curve. */
  public record Point(int iteration, double seconds, double lrPsnr, double hrPsnr) {}

  /** One schedule's run. */
  public record Run(String schedule, List<Point> curve, int iterations, String stopReason, double seconds,
      double hrPsnrEnd) {

    /** Wall seconds at which the HR-PSNR first reached {@code target}, or NaN if it never did. */
    public double secondsToReach(double target) {
      return curve.stream().filter(p -> p.hrPsnr() >= target).mapToDouble(Point::seconds).findFirst()
          .orElse(Double.NaN);
    }

    /** HR-PSNR at the last measurement at or before {@code iteration}. */
    public Point at(int iteration) {
      Point last = curve.get(0);
      for (Point p : curve) {
        if (p.iteration() <= iteration) {
          last = p;
        }
      }
      return last;
    }
  }

  private TimeToQuality() {}

  /**
   * Runs one named option set on the LR made from {@code hr} by its operator (as {@code degrade} makes it), writing
   * the run's outputs to {@code out/<name>}.
   */
  public static Run run(Path model, RgbImage hr, int scale, String name, FineTuneOptions o, SessionSettings session,
      int hrEvery, Path out, IterationListener progress) throws IOException {
    RgbImage lr = LrSynthesis.degrade8bit(hr, o.operator());
    Map<Integer, Double> seconds = new TreeMap<>();
    Map<Integer, Double> lrPsnr = new TreeMap<>();
    IterationListener l = (rec, max) -> {
      seconds.put(rec.iteration(), rec.elapsedSeconds());
      lrPsnr.put(rec.iteration(), rec.lrPsnr());
      progress.onIteration(rec, max);
    };
    Path dir = out.resolve(name);
    Files.createDirectories(dir);
    // HR-PSNR at the run's own measurement points (a multiple of its measure interval).
    int every = Math.max(hrEvery, o.measureEvery()) / o.measureEvery() * o.measureEvery();
    TuneJob.Outcome res = new TuneJob(model, null, lr, hr, scale, o, dir, null, every, l).withSession(session)
        .execute();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) res.report().asMap().get("curve");
    List<Point> curve = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Object h = row.get("hr_psnr");
      int it = ((Number) row.get("iteration")).intValue();
      if (h != null && seconds.containsKey(it)) {
        curve.add(new Point(it, seconds.get(it), lrPsnr.get(it), ((Number) h).doubleValue()));
      }
    }
    IterationRecord fin = res.result().finalRecord();
    curve.add(new Point(res.result().iterations(), res.result().seconds(), fin.lrPsnr(), res.hrPsnrEnd()));
    return new Run(name, List.copyOf(curve), res.result().iterations(), res.result().stopReason(),
        res.result().seconds(), res.hrPsnrEnd());
  }

  /** The comparison at equal quality: the reference's HR-PSNR at {@code iteration}, and who reaches it when. */
  public record Comparison(double targetHrPsnr, int referenceIteration, double referenceSeconds, double otherSeconds) {
    public double speedUp() {
      return referenceSeconds / otherSeconds;
    }
  }

  public static Comparison compare(Run reference, Run other, int iteration) {
    Point p = reference.at(iteration);
    return new Comparison(p.hrPsnr(), p.iteration(), reference.secondsToReach(p.hrPsnr()),
        other.secondsToReach(p.hrPsnr()));
  }

  public static void writeCsv(List<Run> runs, Path file) throws IOException {
    StringBuilder b = new StringBuilder("schedule,iteration,seconds,lr_psnr,hr_psnr\n");
    for (Run r : runs) {
      for (Point p : r.curve()) {
        b.append(String.format(Locale.ROOT, "%s,%d,%.3f,%.4f,%.4f%n", r.schedule(), p.iteration(), p.seconds(),
            p.lrPsnr(), p.hrPsnr()));
      }
    }
    ImageFiles.AtomicFiles.writeString(file, b.toString());
  }

  public static void writePlot(String title, List<Run> runs, Path file) throws IOException {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (Run r : runs) {
      series.put(r.schedule(), r.curve().stream().map(p -> new double[] {p.seconds(), p.hrPsnr()}).toList());
    }
    ImageFiles.writePng(TimeToQualityPlot.draw(title, series), file);
  }
}
