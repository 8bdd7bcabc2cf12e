package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.eval.Dataset;
import dev.srtune.eval.EvalListener;
import dev.srtune.blind.BlindKernelEstimator;
import dev.srtune.blind.KernelAccuracy;
import dev.srtune.degrade.KernelFiles;
import dev.srtune.eval.EvalSettings;
import dev.srtune.eval.ImageOperators;
import dev.srtune.graph.degradation.BlurredDegradation;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.RgbImage;
import dev.srtune.eval.Evaluation;
import dev.srtune.eval.ImageFailure;
import dev.srtune.eval.ImageResult;
import dev.srtune.eval.LpipsToHr;
import dev.srtune.eval.ResultStore;
import dev.srtune.metrics.LpipsWeightFiles;
import dev.srtune.report.Outputs;
import dev.srtune.spark.ImageTaskResult;
import dev.srtune.spark.SparkFolderJob;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.IterationListener;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code srtune eval}: fine-tune on every image of a dataset and write the paper's tables and pictures. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate fine-tuning on a folder of HR images: make each LR as `srtune degrade` does, fine-tune, "
        + "measure PSNR/SSIM/LPIPS before and after (and bicubic), and write results.csv, results.json, results.md, "
        + "pictures and index.html. Resumable: run the same command again to continue an interrupted run.")
public final class EvalCommand implements Callable<Integer>, FolderCommand {
  @Option(names = "--model", description = "SavedModel directory (srtune signature lr -> sr); required for "
      + "--method finetune.")
  Path model;

  @Option(names = "--method", defaultValue = "finetune", description = "What runs on each image: finetune (the "
      + "model, with the options below), zssr or dip (the baselines, from scratch, with their published settings, "
      + "--max-iters, --time-budget, --seed and for dip --width). Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of --method zssr|dip. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--width", defaultValue = "" + dev.srtune.graph.dip.SkipHourglass.WIDTH_DEFAULT,
      description = "Channels of DIP's hourglass (--method dip). Default: ${DEFAULT-VALUE}.")
  int width;

  @Option(names = "--scales", defaultValue = "" + dev.srtune.graph.dip.SkipHourglass.SCALES_DEFAULT,
      description = "Levels of DIP's hourglass (--method dip). Default: ${DEFAULT-VALUE}.")
  int scales;

  @Option(names = "--lr-blur", description = "The blur that makes each LR from its HR image before D, when it is "
      + "not the one A assumes: any --blur form, or none. {i} in it is replaced by the image's 1-based position in "
      + "the dataset (name order) and {name} by its name, e.g. random:seed={i} (every image its own random kernel, "
      + "as the paper's Table II) or kernel:kernels/{name}.npy; --blur takes the same placeholders. Default: --blur, "
      + "or none with --blur estimate.")
  String lrBlur;

  @Option(names = "--dataset", required = true, description = "Folder of HR PNG images.")
  Path dataset;

  @Option(names = "--images", split = ",", description = "Only these images (file names, extension optional).")
  List<String> images;

  @Option(names = "--limit", description = "Fine-tune at most this many unfinished images now, then write the "
      + "tables of what is finished (to run a long evaluation in pieces).")
  Integer limit;

  @Option(names = "--hr-every", defaultValue = "10",
      description = "Measure HR-PSNR every N iterations for the curves. Default: ${DEFAULT-VALUE}.")
  int hrEvery;

  @Option(names = "--dataset-name", description = "Name printed in the tables (default: the folder's name).")
  String datasetName;

  @Option(names = "--out", required = true, description = "Output folder (created; reused to resume).")
  Path out;

  @Mixin TuneOptions tune;

  @Mixin EngineOptions engine;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Outputs outputs = new Outputs().folder(out, "--out", "images/", "results.csv", "results.json", "results.md",
        "index.html", "run.json").reads(model, "--model")
        .reads(ImageOperators.perImage(tune.blur) ? null : tune.kernelFile(), "--blur kernel file")
        .reads(lrBlur != null && lrBlur.startsWith("kernel:") && !ImageOperators.perImage(lrBlur)
            ? Path.of(lrBlur.substring("kernel:".length())) : null, "--lr-blur kernel file");
    if (Files.isDirectory(dataset)) {
      try (var files = Files.list(dataset)) {
        files.forEach(f -> outputs.reads(f, "--dataset image"));
      }
    }
    outputs.check();
    if (limit != null && limit < 0) {
      throw new UserInputException("--limit must be 0 or more.");
    }
    if (hrEvery < 0) {
      throw new UserInputException("--hr-every must be 0 or more.");
    }
    EvalSettings settings = settings();
    boolean spark = engine.spark();
    Evaluation.Outcome outcome;
    ImageProgress progress = new ImageProgress(System.err, settings.options(), settings.session().precision(),
        settings.baseline() != null);
    try (LpipsToHr lpips = lpips()) {
      Evaluation evaluation = new Evaluation(settings, lpips);
      if (!spark) {
        outcome = evaluation.run(progress);
      } else {
        List<Dataset.Entry> pending = evaluation.prepare();
        List<ImageTaskResult> done = SparkFolderJob.run(engine.master, "srtune eval", originalArgs(spec),
            FolderCommand::parse, pending.stream().map(Dataset.Entry::name).toList());
        ResultStore store = new ResultStore(out);
        for (ImageTaskResult r : done) {
          // A task that failed before the job could record it (its command line did not parse there, say).
          if (!r.ok() && ResultStore.readFailure(store.imageDir(r.name())).isEmpty()) {
            Files.createDirectories(store.imageDir(r.name()));
            ResultStore.writeFailure(store.imageDir(r.name()), new ImageFailure(r.name(), r.message(), false));
          }
        }
        outcome = evaluation.finish(progress, (int) done.stream().filter(ImageTaskResult::ok).count(), pending);
      }
    }
    System.out.printf(Locale.ROOT, "%d of %d images finished (%d " + (settings.baseline() == null ? "fine-tuned"
        : "run") + " now); wrote %s and %s%n",
        outcome.results().size(), outcome.total(), outcome.computed(), out.resolve("results.md"),
        out.resolve("index.html"));
    if (!outcome.failed().isEmpty()) {
      return reportFailures(outcome.failed(), out.resolve("images"));
    }
    if (!outcome.complete()) {
      System.out.println("Incomplete: run the same command again to continue.");
    }
    return 0;
  }

  /** The evaluation these options describe (reads the model's scale). */
  EvalSettings settings() {
    dev.srtune.baseline.Baseline baseline = switch (method) {
      case "finetune" -> null;
      case "zssr" -> new dev.srtune.baseline.Zssr(ZssrCommand.settings(tune.maxIters, tune.timeBudget, seed));
      case "dip" -> new dev.srtune.baseline.Dip(DipCommand.settings(tune.maxIters, tune.timeBudget, seed, width,
          scales));
      default -> throw new UserInputException("Unknown --method '" + method + "'; use finetune, zssr or dip.");
    };
    if (baseline == null && model == null) {
      throw new UserInputException("--method finetune needs --model DIR (a SavedModel to fine-tune).");
    }
    if (baseline != null && tune.scale == null) {
      throw new UserInputException("--method " + method + " needs --scale.");
    }
    int s = baseline != null ? tune.scale : tune.scaleFor(model);
    boolean estimated = tune.blurEstimated();
    if (estimated && ImageOperators.perImage(tune.blur)) {
      throw new UserInputException("--blur " + tune.blur + " estimates each image's kernel; it takes no {i} or "
          + "{name}.");
    }
    boolean perImage = estimated || lrBlur != null || ImageOperators.perImage(tune.blur);
    if (!perImage) {
      return new EvalSettings(model, dataset, s, forEval(tune.toOptions(s, FineTuneOptions.MAX_ITERATIONS_DEFAULT)),
          images, limit, hrEvery, datasetName, out, baseline).withSession(tune.session());
    }
    String lrSpec = lrBlur != null ? lrBlur : estimated ? null : tune.blur;
    ImageOperators operators = new PerImageBlur(s, lrSpec == null || lrSpec.equals("none") ? null : lrSpec);
    // The specs checked once, on the first image, before any image runs; and the options the tables describe
    // (schedule, stop rule, budget: the same for every image; each image's A is in its report.json). With an
    // estimate the estimator's isotropic start stands in for the kernel no image has yet.
    ImageOperators.Image first = new ImageOperators.Image(firstImageName(), 1);
    operators.lrOperator(first);
    String standIn = "gaussian:" + BlindKernelEstimator.SIZE_DEFAULT + ":"
        + BlindKernelEstimator.INITIAL_SIGMA_PER_SCALE * s;
    FineTuneOptions o = forEval(tune.toOptions(s, FineTuneOptions.MAX_ITERATIONS_DEFAULT,
        estimated ? standIn : ImageOperators.resolve(tune.blur, first), null));
    return new EvalSettings(model, dataset, s, o, images, limit, hrEvery, datasetName, out, baseline, operators,
        tune.session());
  }

  /** The dataset's first image name, to check per-image specs with. */
  private String firstImageName() {
    try {
      List<Dataset.Entry> all = Dataset.list(dataset, List.of());
      return all.isEmpty() ? "image" : all.get(0).name();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The PS columns are measured on the HR outputs; LR-LPIPS every iteration is only worth its cost when the stop
   * rule reads it.
   */
  private static FineTuneOptions forEval(FineTuneOptions o) {
    return o.stopRule().requiredMetric().isEmpty() ? o.withExtraMetrics(List.of()) : o;
  }

  /**
   * Per image: the LR made with --lr-blur (placeholders resolved), A's blur from --blur (resolved) or estimated
   * from the LR (written as kernel.npy/.png into the image's folder, with its accuracy when the LR's blur is known).
   */
  private final class PerImageBlur implements ImageOperators {
    private final int scale;
    private final String lrSpec;

    PerImageBlur(int scale, String lrSpec) {
      this.scale = scale;
      this.lrSpec = lrSpec;
    }

    @Override
    public Degradation lrOperator(Image image) {
      try {
        return Degradations.operator(ImageOperators.resolve(lrSpec, image), tune.downsampler, scale,
            KernelFiles.INSTANCE);
      } catch (IllegalArgumentException e) {
        throw new UserInputException("--lr-blur: " + e.getMessage());
      }
    }

    @Override
    public Tuning tuning(Image image, RgbImage lr, RgbImage hr, Path dir) throws java.io.IOException {
      if (!tune.blurEstimated()) {
        return new Tuning(forEval(tune.toOptions(scale, FineTuneOptions.MAX_ITERATIONS_DEFAULT,
            ImageOperators.resolve(tune.blur, image), null)), null);
      }
      TuneOptions.KernelEstimate k = tune.estimateKernel(tune.blur, lr, scale, dir);
      if (lrOperator(image) instanceof BlurredDegradation truth) {
        k.report().put("accuracy", KernelAccuracy.measure(k.estimate().kernel(), truth.blur().kernel(), hr,
            truth.downsampler()).describe(truth.blur().spec()));
      }
      return new Tuning(forEval(tune.toOptions(scale, FineTuneOptions.MAX_ITERATIONS_DEFAULT, null, k.estimate())),
          k.report());
    }

    @Override
    public String lrSpec() {
      return (lrSpec == null ? "" : lrSpec + BlurredDegradation.JOIN) + tune.downsampler;
    }

    @Override
    public String tuneSpec() {
      return (tune.blur == null ? "" : tune.blur + BlurredDegradation.JOIN) + tune.downsampler
          + (tune.refineKernel ? " (kernel refined with the network)" : "");
    }
  }

  private LpipsToHr lpips() {
    Optional<LpipsWeightFiles> files = tune.lpips.files(false);
    return files.map(f -> new LpipsToHr(f.load())).orElse(null);
  }

  @Override
  public String runOne(String name) throws Exception {
    EvalSettings settings = settings();
    try (LpipsToHr lpips = lpips()) {
      Dataset.Entry image = Dataset.list(settings.dataset(), List.of(name)).get(0);
      return new Evaluation(settings, lpips).evaluateOne(image, IterationListener.none())
          .map(r -> String.format(Locale.ROOT, "PSNR-Y %.2f -> %.2f dB, %d iterations (%s)",
              ImageProgress.nz(r.start().psnrY()), ImageProgress.nz(r.end().psnrY()), r.iterations(), r.stopReason()))
          .orElse(null);
    }
  }

  /** The whole command line as the user gave it, for the tasks to parse again. */
  static List<String> originalArgs(CommandSpec spec) {
    return spec.root().commandLine().getParseResult().originalArgs();
  }

  /**
   * Prints one line per failed image and what to do; exit code 2 when every failure is the input's fault (a
   * corrupt or too small image), else 1.
   */
  static int reportFailures(List<ImageFailure> failed, Path where) {
    for (ImageFailure f : failed) {
      System.err.println("srtune: " + f.name() + ": " + f.message());
    }
    System.err.println("srtune: " + failed.size() + " image(s) failed, the others finished; the errors are in "
        + where + "/NAME/error.json: fix or remove those images and run the same command again.");
    return failed.stream().allMatch(ImageFailure::userInput) ? 2 : 1;
  }

  /** A progress line over iterations within an image and a line per finished image with the ETA of the rest. */
  static final class ImageProgress implements EvalListener {
    private final PrintStream out;
    private ProgressLine line;
    private double secondsDone;
    private int computed;

    private final dev.srtune.tune.FineTuneOptions options;
    private final dev.srtune.model.Precision precision;
    private final boolean baseline;

    /** @param baseline true for ZSSR/DIP, whose own stop the options' rule does not describe */
    ImageProgress(PrintStream out, dev.srtune.tune.FineTuneOptions options, dev.srtune.model.Precision precision,
        boolean baseline) {
      this.out = out;
      this.options = options;
      this.precision = precision;
      this.baseline = baseline;
    }

    @Override
    public IterationListener iterations(String name, int index, int total) {
      String label = String.format(Locale.ROOT, "eval [%d/%d] %s", index + 1, total, name);
      line = baseline ? new ProgressLine(out, label, options.timeBudget())
          : new ProgressLine(out, label, options, precision);
      return line;
    }

    @Override
    public void onFailure(ImageFailure f, int index, int total) {
      if (line != null) {
        line.finish();
        line = null;
      }
      out.printf(Locale.ROOT, "eval [%d/%d] %s failed: %s%n", index + 1, total, f.name(), f.message());
      out.flush();
    }

    @Override
    public void onImage(ImageResult r, int index, int total, boolean resumed) {
      if (line != null) {
        line.finish();
        line = null;
      }
      String eta = "";
      if (!resumed) {
        // Mean time of the images fine-tuned in this run, times the images left (at most: some may be finished).
        computed++;
        secondsDone += r.seconds();
        int left = total - index - 1;
        eta = "; ETA for the remaining " + left + " image(s) ~"
            + ProgressLine.duration(secondsDone / computed * left) + " (at most)";
      }
      out.printf(Locale.ROOT, "eval [%d/%d] %s %s: PSNR-Y %.2f -> %.2f dB (bicubic %.2f), %d iterations (%s), "
              + "%.0f s%s%n", index + 1, total, r.name(), resumed ? "already finished" : "done",
          nz(r.start().psnrY()), nz(r.end().psnrY()), nz(r.bicubic().psnrY()), r.iterations(), r.stopReason(),
          r.seconds(), eta);
      out.flush();
    }

    static double nz(Double v) {
      return v == null ? Double.NaN : v;
    }
  }
}
