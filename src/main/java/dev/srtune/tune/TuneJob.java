package dev.srtune.tune;

import dev.srtune.UserInputException;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.graph.lpips.LpipsWeights;
import dev.srtune.metrics.LpipsDistance;
import dev.srtune.metrics.Psnr;
import dev.srtune.model.SrModel;
import dev.srtune.report.Outputs;
import dev.srtune.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code srtune tune} run end to end: load the model, fine-tune on the LR image, and write {@code sr.png},
 * {@code sr_start.png} and {@code report.json} (and the fine-tuned SavedModel if asked) into the output folder.
 * Shared by the CLI, the demo and the evaluation harness.
 *
 * @param hr optional ground truth (s·h × s·w) for HR-PSNR (and HR-LPIPS when the options carry {@link LrLpips})
 * @param hrEvery measure HR-PSNR every this many iterations for the curve (0 = start and end only)
 */
public record TuneJob(Path model, Path input, RgbImage lr, RgbImage hr, int scale, FineTuneOptions options,
    Path out, Path export, int hrEvery, IterationListener listener) {

  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(TuneJob.class);

  /** LR images larger than this (1000²) record LR-LPIPS only when the stop rule reads it. */
  static final long LPIPS_RECORDED_MAX_PIXELS = 1000L * 1000;

  /** The files a job writes into its output folder. */
  public static final String[] OUTPUT_FILES = {"sr.png", "sr_start.png", "report.json"};

  /** What the job produced. */
  public record Outcome(FineTuneResult result, RunReport report, Double hrPsnrStart, Double hrPsnrEnd) {}

  public Outcome execute() throws IOException {
    if (hr != null && (hr.height() != lr.height() * scale || hr.width() != lr.width() * scale)) {
      throw new UserInputException("The HR image is " + hr.height() + "x" + hr.width() + " but " + scale
          + "x the LR image is " + lr.height() * scale + "x" + lr.width() * scale
          + "; pass the HR image the LR was made from (cropped to a multiple of the scale).");
    }
    new Outputs().folder(out, "--out", OUTPUT_FILES).savedModel(export, "--export").reads(input, "--input")
        .reads(model, "--model").check();
    LpipsWeights lpips = options.extraMetrics().stream().filter(LrLpips.class::isInstance)
        .map(x -> ((LrLpips) x).weights()).findFirst().orElse(null);
    FineTuneOptions opts = options;
    if (lpips != null && Math.min(lr.height(), lr.width()) < lpips.net().minInputSize()) {
      int min = lpips.net().minInputSize();
      String why = "LPIPS " + lpips.net().id() + " needs an LR image of at least " + min + "x" + min
          + " pixels, this one is " + lr.height() + "x" + lr.width();
      if (options.stopRule().requiredMetric().isPresent()) {
        throw new UserInputException(why + "; use --stop lr-psnr for an image this small.");
      }
      // LPIPS was only going to be recorded: leave it out rather than refuse the run.
      LOG.info("{}: LPIPS left out of this run", why);
      opts = options.withExtraMetrics(options.extraMetrics().stream().filter(x -> !(x instanceof LrLpips)).toList());
      lpips = null;
    }
    if (lpips != null && options.stopRule().requiredMetric().isEmpty()
        && (long) lr.height() * lr.width() > LPIPS_RECORDED_MAX_PIXELS) {
      // Recorded only, not read by the stop rule: on a large image it would cost a whole-image LPIPS pass (over a
      // GB at 2000x2000) at every measurement.
      LOG.info("LPIPS left out of this run: the LR image is {}x{}; ask for it with --stop lr-lpips", lr.height(),
          lr.width());
      opts = options.withExtraMetrics(options.extraMetrics().stream().filter(x -> !(x instanceof LrLpips)).toList());
      lpips = null;
    }
    try (SrModel m = SrModel.load(model, opts.precision())) {
      m.requireScale(scale);
      Map<Integer, Double> hrCurve = new TreeMap<>();
      IterationListener l = new IterationListener() {
        @Override
        public void onIteration(IterationRecord record, int max) {
          listener.onIteration(record, max);
        }

        @Override
        public void onOutput(int iteration, RgbImage sr) {
          hrCurve.put(iteration, Psnr.rgb(sr.quantized8(), hr));
        }
      };
      FineTuneResult r;
      String passes;
      try (FineTuner tuner = FineTuner.attach(m.bundle(), opts)) {
        r = tuner.run(lr, l, hr != null ? hrEvery : 0);
        passes = tuner.wholeImagePasses();
        if (r.stopReason().equals(FineTuner.NON_FINITE_LOSS)) {
          throw new UserInputException("The loss became infinite or NaN at iteration " + r.iterations()
              + ", so nothing was written; run again with a smaller --lr than " + opts.learningRate() + ".");
        }
        if (export != null) {
          Map<String, Object> meta = m.metadata();
          meta.put("fine_tuned_on", input == null ? "in-memory image" : input.getFileName().toString());
          meta.put("fine_tuned_iterations", r.iterations());
          meta.put("fine_tuned_operator", opts.operator().spec());
          tuner.export(export, meta);
        }
      }
      Files.createDirectories(out);
      ImageFiles.writePng(r.start(), out.resolve("sr_start.png"));
      ImageFiles.writePng(r.result(), out.resolve("sr.png"));
      RunReport report = new RunReport(r, opts);
      report.put("model", Map.of("path", model.toString(), "name", m.name(), "metadata", m.metadata()));
      report.put("input", input == null ? "in-memory" : input.toString());
      report.put("lr_size", new int[] {lr.height(), lr.width()});
      report.put("whole_image_passes_ran", passes);
      Double hs = null;
      Double he = null;
      if (hr != null) {
        hs = Psnr.rgb(r.start().quantized8(), hr);
        he = Psnr.rgb(r.result().quantized8(), hr);
        hrCurve.putIfAbsent(0, hs);
        hrCurve.put(r.finalRecord().iteration(), he);
        report.putHr("hr_psnr", hs, he);
        if (lpips != null) {
          try (LpipsDistance d = new LpipsDistance(lpips)) {
            report.putHr("hr_lpips", d.between(r.start().quantized8(), hr), d.between(r.result().quantized8(), hr));
          }
        }
      }
      if (lpips != null) {
        report.put("lpips", Map.of("version", "0.1", "net", lpips.net().id(), "convention",
            "lr_lpips on A f(y) vs y as computed (unclipped); hr_lpips on the 8-bit-rounded output vs the HR image"));
      }
      report.curve(r.curve(), hrCurve);
      if (hr != null && !r.curve().isEmpty() && hrCurve.containsKey(r.finalRecord().iteration())) {
        report.put("hr_psnr_final_iteration", r.finalRecord().iteration());
      }
      report.write(out.resolve("report.json"));
      return new Outcome(r, report, hs, he);
    }
  }
}
