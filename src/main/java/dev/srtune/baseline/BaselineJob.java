package dev.srtune.baseline;

import dev.srtune.UserInputException;
import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import dev.srtune.report.Outputs;
import dev.srtune.report.RunReport;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.FineTuner;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.RunReports;
import dev.srtune.tune.TuneJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * One baseline run end to end, as {@link TuneJob} does it for fine-tuning: checks, runs the {@link Baseline} on the
 * LR image, and writes {@code sr.png} (the result), {@code sr_start.png} (the network before any update) and
 * {@code report.json} (the same contract fields, {@code method} and the method's settings; with an HR image the
 * HR-PSNR before/after, of the bicubic enlargement, and along the curve).
 *
 * @param hrEvery with {@code hr}, measure HR-PSNR every this many iterations where the method measures (0: start
 *     and end only)
 */
public record BaselineJob(Baseline method, Path input, RgbImage lr, RgbImage hr, Degradation operator, Path out,
    int hrEvery, IterationListener listener) {

  public TuneJob.Outcome execute() throws IOException {
    int s = operator.scale();
    TuneJob.checkHrSize(hr, lr, s);
    new Outputs().folder(out, "--out", TuneJob.OUTPUT_FILES).reads(input, "--input").check();
    method.check(lr.height(), lr.width(), operator);
    Map<Integer, Double> hrCurve = new TreeMap<>();
    IterationListener l = listener.recordingHrPsnr(hr, hrCurve);
    FineTuneResult r = method.run(lr, operator, l, hr != null ? Math.max(hrEvery, 1) : 0);
    if (r.stopReason().equals(FineTuner.NON_FINITE_LOSS)) {
      throw new UserInputException("The " + method.name() + " loss became infinite or NaN at iteration "
          + r.iterations() + ", so nothing was written; run again with another --seed.");
    }
    Files.createDirectories(out);
    ImageFiles.writePng(r.start(), out.resolve("sr_start.png"));
    ImageFiles.writePng(r.result(), out.resolve("sr.png"));
    RunReport report = RunReports.baseline(r, method.name(), operator, method.settings());
    report.put("input", input == null ? "in-memory" : input.toString());
    report.put("lr_size", new int[] {lr.height(), lr.width()});
    method.details().forEach(report::put);
    Double hs = null;
    Double he = null;
    if (hr != null) {
      hs = Psnr.rgb(r.start().quantized8(), hr);
      he = Psnr.rgb(r.result().quantized8(), hr);
      hrCurve.put(0, hs);
      hrCurve.put(r.finalRecord().iteration(), he);
      report.putHr("hr_psnr", hs, he);
      report.put("hr_psnr_bicubic", Psnr.rgb(LrSynthesis.bicubicUpscale8bit(lr, s), hr));
    }
    report.curve(RunReports.curve(r.curve(), hrCurve));
    report.write(out.resolve("report.json"));
    return new TuneJob.Outcome(r, report, hs, he);
  }
}
