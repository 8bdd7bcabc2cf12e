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
import dev.srtune.graph.savedmodel.SrSavedModelWriter;
import dev.srtune.image.Npy;
import dev.srtune.blind.KernelOutputs;
import dev.srtune.tune.loss.KernelRefinement;
import dev.srtune.tune.loss.LossTerm;
import dev.srtune.tune.loss.VarianceMask;
import dev.srtune.tune.loss.WeightedDataFidelity;
import dev.srtune.uncertainty.BeforeAfterFigure;
import dev.srtune.uncertainty.McDropoutSettings;
import dev.srtune.uncertainty.UncertaintyEstimate;
import dev.srtune.uncertainty.VariancePicture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code srtune tune} run end to end: load the model, fine-tune on the LR image, and write {@code sr.png},
 * {@code sr_start.png} and {@code report.json} (and the fine-tuned SavedModel if asked) into the output folder.
 * Shared by the CLI, the demo and the evaluation harness.
 *
 * @param hr optional ground truth (s·h × s·w) for HR-PSNR (and HR-LPIPS when the options carry {@link LrLpips})
 * @param hrEvery measure HR-PSNR every this many iterations for the curve (0 = start and end only)
 * @param uncertainty when not null, also write the Monte-Carlo dropout variance maps of the pretrained and the
 *     fine-tuned network, made with these settings ({@link #UNCERTAINTY_FILES}, the paper's Figure 9)
 * @param session the precision the model is loaded with and how its whole-image passes run
 */
public record TuneJob(Path model, Path input, RgbImage lr, RgbImage hr, int scale, FineTuneOptions options,
    Path out, Path export, int hrEvery, IterationListener listener, McDropoutSettings uncertainty,
    SessionSettings session) {

  /** A job in a {@link SessionSettings#DEFAULT} session. */
  public TuneJob(Path model, Path input, RgbImage lr, RgbImage hr, int scale, FineTuneOptions options, Path out,
      Path export, int hrEvery, IterationListener listener, McDropoutSettings uncertainty) {
    this(model, input, lr, hr, scale, options, out, export, hrEvery, listener, uncertainty, SessionSettings.DEFAULT);
  }

  /** A job without variance maps. */
  public TuneJob(Path model, Path input, RgbImage lr, RgbImage hr, int scale, FineTuneOptions options, Path out,
      Path export, int hrEvery, IterationListener listener) {
    this(model, input, lr, hr, scale, options, out, export, hrEvery, listener, null);
  }

  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(TuneJob.class);

  /** LR images larger than this (1000²) record LR-LPIPS only when the stop rule reads it. */
  static final long LPIPS_RECORDED_MAX_PIXELS = 1000L * 1000;

  /** The files a job writes into its output folder. */
  public static final String[] OUTPUT_FILES = {"sr.png", "sr_start.png", "report.json"};
  /** What {@code uncertainty} adds: the maps before and after as pictures and arrays, and the four-panel strip. */
  public static final String[] UNCERTAINTY_FILES = {"uncertainty_start.png", "uncertainty.png",
      "uncertainty_strip.png", "variance_start.npy", "variance.npy"};

  /** Every file this job writes into its output folder. */
  public static String[] outputFiles(boolean withUncertainty) {
    return withUncertainty ? java.util.stream.Stream.concat(java.util.Arrays.stream(OUTPUT_FILES),
        java.util.Arrays.stream(UNCERTAINTY_FILES)).toArray(String[]::new) : OUTPUT_FILES;
  }

  /** The refined kernel's file, when the options refine the kernel ({@link KernelRefinement}). */
  public static final String REFINED_KERNEL_NPY = "kernel_refined.npy";

  private static KernelRefinement refinement(FineTuneOptions o) {
    return o.lossTerms().stream().filter(KernelRefinement.class::isInstance).map(KernelRefinement.class::cast)
        .findFirst().orElse(null);
  }

  /** The same job in a session with {@code settings}. */
  public TuneJob withSession(SessionSettings settings) {
    return new TuneJob(model, input, lr, hr, scale, options, out, export, hrEvery, listener, uncertainty, settings);
  }

  /** What the job produced. */
  public record Outcome(FineTuneResult result, RunReport report, Double hrPsnrStart, Double hrPsnrEnd) {}

  /** Replaces each {@link VarianceMask} by its weighted term, from {@code before} when made with the same settings. */
  private FineTuneOptions resolveMasks(FineTuneOptions o, SrModel m, McDropoutSettings settings,
      UncertaintyEstimate before) {
    if (o.lossTerms().stream().noneMatch(VarianceMask.class::isInstance)) {
      return o;
    }
    List<LossTerm> resolved = new ArrayList<>();
    for (LossTerm t : o.lossTerms()) {
      if (t instanceof VarianceMask v) {
        UncertaintyEstimate map = before != null && v.dropout().equals(settings) ? before
            : estimate(v.dropout(), m, "pretrained, for the loss mask");
        WeightedDataFidelity w = v.resolve(map, scale);
        LOG.info("loss mask {}: mean weight {}, {}% of LR pixels weighted", v.spec(),
            String.format(Locale.ROOT, "%.3f", w.weights().mean()),
            String.format(Locale.ROOT, "%.1f", 100 * w.weights().nonZeroFraction()));
        resolved.add(w);
      } else {
        resolved.add(t);
      }
    }
    return o.withLossTerms(resolved);
  }

  private UncertaintyEstimate estimate(McDropoutSettings settings, SrModel m, String which) {
    long[] last = {0};
    UncertaintyEstimate e = settings.estimate(m, lr, (done, total, seconds) -> {
      long now = System.nanoTime();
      if (done == total || now - last[0] > 5_000_000_000L) {
        last[0] = now;
        LOG.info("variance map ({}): {}/{} passes, {} s", which, done, total,
            String.format(Locale.ROOT, "%.1f", seconds));
      }
    });
    return e;
  }

  /**
   * The fine-tuned network's variance map. {@link dev.srtune.uncertainty.McDropoutNetwork} re-imports a model's
   * saved graph and restores its weights from the checkpoint, so the tuned weights are exported to a temporary
   * SavedModel first (one checkpoint write, about 3 MB for EnhanceNet): the before and after maps then come out of
   * the same graph surgery and the same restore op, differing only in the checkpoint read. Copying the values from
   * the tuning session into the dropout graph would need assign ops per variable kind (ref, resource) in that graph:
   * a second path to keep equal to the first.
   */
  private UncertaintyEstimate estimateFineTuned(FineTuner tuner, SrModel m) throws IOException {
    Path tmp = Files.createTempDirectory("srtune-finetuned-");
    try {
      Path dir = tmp.resolve("model");
      tuner.export(dir, m.metadata());
      try (SrModel tuned = SrModel.load(dir)) {
        return estimate(uncertainty, tuned, "fine-tuned");
      }
    } finally {
      SrSavedModelWriter.deleteRecursively(tmp);
    }
  }

  /** Writes the maps and the strip; returns what report.json records of them. */
  private Map<String, Object> writeMaps(FineTuneResult r, UncertaintyEstimate before, UncertaintyEstimate after)
      throws IOException {
    double top = BeforeAfterFigure.sharedTop(before, after);
    ImageFiles.writePng(VariancePicture.draw(before.variance(), before.height(), before.width(), top),
        out.resolve("uncertainty_start.png"));
    ImageFiles.writePng(VariancePicture.draw(after.variance(), after.height(), after.width(), top),
        out.resolve("uncertainty.png"));
    ImageFiles.writePng(BeforeAfterFigure.draw(r.start(), r.result(), before, after, top),
        out.resolve("uncertainty_strip.png"));
    Npy.write(out.resolve("variance_start.npy"), new int[] {before.height(), before.width()}, before.variance());
    Npy.write(out.resolve("variance.npy"), new int[] {after.height(), after.width()}, after.variance());
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("passes", uncertainty.passes());
    u.put("dropout", uncertainty.rate());
    u.put("seed", uncertainty.seed());
    u.put("placement", uncertainty.placement().describe());
    u.put("definition", "population variance over passes of each RGB channel of the outputs clipped to [0,1], "
        + "averaged over the channels; same seed, rate and placement before and after");
    u.put("mean_variance", startEnd(before.meanVariance(), after.meanVariance()));
    u.put("p99_variance", startEnd(before.percentile(99), after.percentile(99)));
    u.put("picture_black_at", top);
    u.put("seconds", startEnd(before.seconds(), after.seconds()));
    return u;
  }

  /** Unrounded (RunReport.startEnd keeps 5 decimals; variances are around 1e-5). */
  private static Map<String, Object> startEnd(double start, double end) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", start);
    m.put("end", end);
    return m;
  }

  /** Refuses an HR image (null: none) that is not {@code scale} times the LR image. */
  public static void checkHrSize(RgbImage hr, RgbImage lr, int scale) {
    if (hr != null && (hr.height() != lr.height() * scale || hr.width() != lr.width() * scale)) {
      throw new UserInputException("The HR image is " + hr.height() + "x" + hr.width() + " but " + scale
          + "x the LR image is " + lr.height() * scale + "x" + lr.width() * scale
          + "; pass the HR image the LR was made from (cropped to a multiple of the scale).");
    }
  }

  public Outcome execute() throws IOException {
    return execute(report -> { });
  }

  /**
   * As {@link #execute()}, with {@code additions} put into the report before {@code report.json} is written, once and
   * last (its presence marks a finished image for a resumed folder).
   */
  public Outcome execute(java.util.function.Consumer<RunReport> additions) throws IOException {
    checkHrSize(hr, lr, scale);
    String[] files = outputFiles(uncertainty != null);
    if (refinement(options) != null) {
      files = java.util.stream.Stream.concat(java.util.Arrays.stream(files),
          java.util.stream.Stream.of(REFINED_KERNEL_NPY, "kernel_refined.png")).toArray(String[]::new);
    }
    new Outputs().folder(out, "--out", files).savedModel(export, "--export").reads(input, "--input")
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
    try (SrModel m = SrModel.load(model, session.precision(), !opts.sampler().wholeImage())) {
      m.precisionChoice().ifPresent(why -> LOG.info("precision {}", why));
      listener.onPrecision(m.precision());
      m.requireScale(scale);
      UncertaintyEstimate before = uncertainty == null ? null : estimate(uncertainty, m, "pretrained");
      opts = resolveMasks(opts, m, uncertainty, before);
      Map<Integer, Double> hrCurve = new TreeMap<>();
      IterationListener l = listener.recordingHrPsnr(hr, hrCurve);
      FineTuneResult r;
      String passes;
      UncertaintyEstimate after = null;
      try (FineTuner tuner = FineTuner.attach(m.bundle(), opts, session.passes())) {
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
        if (uncertainty != null) {
          after = estimateFineTuned(tuner, m);
        }
      }
      Files.createDirectories(out);
      ImageFiles.writePng(r.start(), out.resolve("sr_start.png"));
      ImageFiles.writePng(r.result(), out.resolve("sr.png"));
      RunReport report = RunReports.fineTune(r, opts, session, m.precision(), m.precisionChoice().orElse(null));
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
      if (after != null) {
        report.put("uncertainty", writeMaps(r, before, after));
      }
      KernelRefinement refined = refinement(opts);
      if (refined != null && refined.refined() != null) {
        Path npy = out.resolve(REFINED_KERNEL_NPY);
        KernelOutputs.write(refined.refined(), npy);
        Map<String, Object> k = KernelOutputs.describe(refined.refined(), npy);
        k.putAll(refined.describe());
        report.put("kernel_refined", k);
      }
      report.curve(RunReports.curve(r.curve(), hrCurve));
      if (hr != null && !r.curve().isEmpty() && hrCurve.containsKey(r.finalRecord().iteration())) {
        report.put("hr_psnr_final_iteration", r.finalRecord().iteration());
      }
      additions.accept(report);
      report.write(out.resolve("report.json"));
      return new Outcome(r, report, hs, he);
    }
  }
}
