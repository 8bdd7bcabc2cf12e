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
import dev.srtune.blind.KernelOutputs;
import dev.srtune.tune.loss.KernelRefinement;
import dev.srtune.uncertainty.McDropoutSettings;
import dev.srtune.uncertainty.UncertaintyEstimate;
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
    checkInputsAndOutputs();
    FineTuneOptions opts = withLpipsThatFits(options);
    // A pre-upsampling network runs at any scale: only the enlargement in front of it changes.
    Path atScale = dev.srtune.model.PreUpsamplingScale.atScale(model, scale);
    try (SrModel m = SrModel.load(atScale, session.precision(), !opts.sampler().wholeImage())) {
      m.precisionChoice().ifPresent(why -> LOG.info("precision {}", why));
      listener.onPrecision(m.precision());
      m.requireScale(scale);
      Tuned t = fineTune(m, opts);
      Files.createDirectories(out);
      ImageFiles.writePng(t.result().start(), out.resolve("sr_start.png"));
      ImageFiles.writePng(t.result().result(), out.resolve("sr.png"));
      Outcome outcome = report(m, t);
      additions.accept(outcome.report());
      outcome.report().write(out.resolve("report.json")); // once, last
      return outcome;
    } finally {
      dev.srtune.model.PreUpsamplingScale.delete(atScale, model);
    }
  }

  /** Refuses, before any work, an HR of the wrong size and outputs that would replace an input or a file. */
  private void checkInputsAndOutputs() {
    checkHrSize(hr, lr, scale);
    String[] files = outputFiles(uncertainty != null);
    if (refinement(options) != null) {
      files = java.util.stream.Stream.concat(java.util.Arrays.stream(files),
          java.util.stream.Stream.of(REFINED_KERNEL_NPY, "kernel_refined.png")).toArray(String[]::new);
    }
    new Outputs().folder(out, "--out", files).savedModel(export, "--export").reads(input, "--input")
        .reads(model, "--model").check();
  }

  private static LpipsWeights lpipsOf(FineTuneOptions o) {
    return o.extraMetrics().stream().filter(LrLpips.class::isInstance).map(x -> ((LrLpips) x).weights()).findFirst()
        .orElse(null);
  }

  /**
   * The options with LPIPS left out where this image cannot have it: smaller than its network's input (refused when
   * the stop rule reads it), or so large that recording it would cost a whole-image LPIPS pass per measurement.
   */
  private FineTuneOptions withLpipsThatFits(FineTuneOptions o) {
    LpipsWeights lpips = lpipsOf(o);
    if (lpips == null) {
      return o;
    }
    if (Math.min(lr.height(), lr.width()) < lpips.net().minInputSize()) {
      int min = lpips.net().minInputSize();
      String why = "LPIPS " + lpips.net().id() + " needs an LR image of at least " + min + "x" + min
          + " pixels, this one is " + lr.height() + "x" + lr.width();
      if (o.stopRule().requiredMetric().isPresent()) {
        throw new UserInputException(why + "; use --stop lr-psnr for an image this small.");
      }
      // LPIPS was only going to be recorded: leave it out rather than refuse the run.
      LOG.info("{}: LPIPS left out of this run", why);
      return o.withExtraMetrics(o.extraMetrics().stream().filter(x -> !(x instanceof LrLpips)).toList());
    }
    if (o.stopRule().requiredMetric().isEmpty() && (long) lr.height() * lr.width() > LPIPS_RECORDED_MAX_PIXELS) {
      // Recorded only, not read by the stop rule: on a large image it would cost a whole-image LPIPS pass (over a
      // GB at 2000x2000) at every measurement.
      LOG.info("LPIPS left out of this run: the LR image is {}x{}; ask for it with --stop lr-lpips", lr.height(),
          lr.width());
      return o.withExtraMetrics(o.extraMetrics().stream().filter(x -> !(x instanceof LrLpips)).toList());
    }
    return o;
  }

  /** What {@link #fineTune} produced, for the outputs and the report. */
  private record Tuned(FineTuneResult result, FineTuneOptions options, String passes, Map<Integer, Double> hrCurve,
      UncertaintyEstimate before, UncertaintyEstimate after) {}

  /**
   * The run itself: variance maps of the pretrained network where asked (and the masks they make), Algorithm 1,
   * the export, the maps of the fine-tuned network. A non-finite loss writes nothing.
   */
  private Tuned fineTune(SrModel m, FineTuneOptions opts) throws IOException {
    JobVarianceMaps maps = new JobVarianceMaps(lr, scale, out, uncertainty);
    UncertaintyEstimate before = uncertainty == null ? null : maps.estimate(uncertainty, m, "pretrained");
    opts = maps.resolveMasks(opts, m, before);
    Map<Integer, Double> hrCurve = new TreeMap<>();
    IterationListener l = listener.recordingHrPsnr(hr, hrCurve);
    try (FineTuner tuner = FineTuner.attach(m.bundle(), opts, session.passes())) {
      FineTuneResult r = tuner.run(lr, l, hr != null ? hrEvery : 0);
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
      UncertaintyEstimate after = uncertainty == null ? null : maps.estimateFineTuned(tuner, m);
      return new Tuned(r, opts, tuner.wholeImagePasses(), hrCurve, before, after);
    }
  }

  /** report.json's content (and the files it describes: variance maps, a refined kernel), not yet written. */
  private Outcome report(SrModel m, Tuned t) throws IOException {
    FineTuneResult r = t.result();
    FineTuneOptions opts = t.options();
    LpipsWeights lpips = lpipsOf(opts);
    RunReport report = RunReports.fineTune(r, opts, session, m.precision(), m.precisionChoice().orElse(null));
    report.put("model", Map.of("path", model.toString(), "name", m.name(), "metadata", m.metadata()));
    report.put("input", input == null ? "in-memory" : input.toString());
    report.put("lr_size", new int[] {lr.height(), lr.width()});
    report.put("whole_image_passes_ran", t.passes());
    Double hs = null;
    Double he = null;
    if (hr != null) {
      hs = Psnr.rgb(r.start().quantized8(), hr);
      he = Psnr.rgb(r.result().quantized8(), hr);
      t.hrCurve().putIfAbsent(0, hs);
      t.hrCurve().put(r.finalRecord().iteration(), he);
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
    if (t.after() != null) {
      report.put("uncertainty", new JobVarianceMaps(lr, scale, out, uncertainty).write(r, t.before(), t.after()));
    }
    KernelRefinement refined = refinement(opts);
    if (refined != null && refined.refined() != null) {
      Path npy = out.resolve(REFINED_KERNEL_NPY);
      KernelOutputs.write(refined.refined(), npy);
      Map<String, Object> k = KernelOutputs.describe(refined.refined(), npy);
      k.putAll(refined.describe());
      report.put("kernel_refined", k);
    }
    report.curve(RunReports.curve(r.curve(), t.hrCurve()));
    if (hr != null && !r.curve().isEmpty() && t.hrCurve().containsKey(r.finalRecord().iteration())) {
      report.put("hr_psnr_final_iteration", r.finalRecord().iteration());
    }
    return new Outcome(r, report, hs, he);
  }
}
