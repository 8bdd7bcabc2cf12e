package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.report.Outputs;
import dev.srtune.eval.EvalListener;
import dev.srtune.eval.EvalSettings;
import dev.srtune.eval.Evaluation;
import dev.srtune.eval.ImageResult;
import dev.srtune.eval.LpipsToHr;
import dev.srtune.metrics.LpipsWeightFiles;
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
import picocli.CommandLine.Option;

/** {@code srtune eval}: fine-tune on every image of a dataset and write the paper's tables and pictures. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate fine-tuning on a folder of HR images: make each LR as `srtune degrade` does, fine-tune, "
        + "measure PSNR/SSIM/LPIPS before and after (and bicubic), and write results.csv, results.json, results.md, "
        + "pictures and index.html. Resumable: run the same command again to continue an interrupted run.")
public final class EvalCommand implements Callable<Integer> {
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

  @Override
  public Integer call() throws Exception {
    Outputs outputs = new Outputs().folder(out, "--out", "images/", "results.csv", "results.json", "results.md",
        "index.html", "run.json").reads(model, "--model").reads(tune.kernelFile(), "--blur kernel file");
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
    FineTuneOptions o = tune.toOptions(s, FineTuneOptions.MAX_ITERATIONS_DEFAULT);
    if (o.stopRule().requiredMetric().isEmpty()) {
      // The PS columns are measured on the HR outputs below; LR-LPIPS every iteration is only worth its cost when
      // the stop rule reads it.
      o = o.withExtraMetrics(List.of());
    }
    Optional<LpipsWeightFiles> lpipsFiles = tune.lpips.files(false);
    Evaluation.Outcome outcome;
    try (LpipsToHr lpips = lpipsFiles.map(f -> new LpipsToHr(f.load())).orElse(null)) {
      EvalSettings settings = new EvalSettings(model, dataset, s, o, images, limit, hrEvery, datasetName, out,
          baseline);
      outcome = new Evaluation(settings, lpips).run(new ImageProgress(System.err, o));
    }
    System.out.printf(Locale.ROOT, "%d of %d images finished (%d " + (baseline == null ? "fine-tuned"
        : "run") + " now); wrote %s and %s%n",
        outcome.results().size(), outcome.total(), outcome.computed(), out.resolve("results.md"),
        out.resolve("index.html"));
    if (!outcome.complete()) {
      System.out.println("Incomplete: run the same command again to continue.");
    }
    return 0;
  }

  /** A progress line over iterations within an image and a line per finished image with the ETA of the rest. */
  static final class ImageProgress implements EvalListener {
    private final PrintStream out;
    private ProgressLine line;
    private double secondsDone;
    private int computed;

    private final dev.srtune.tune.FineTuneOptions options;

    ImageProgress(PrintStream out, dev.srtune.tune.FineTuneOptions options) {
      this.out = out;
      this.options = options;
    }

    @Override
    public IterationListener iterations(String name, int index, int total) {
      line = new ProgressLine(out, String.format(Locale.ROOT, "eval [%d/%d] %s", index + 1, total, name), options);
      return line;
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

    private static double nz(Double v) {
      return v == null ? Double.NaN : v;
    }
  }
}
