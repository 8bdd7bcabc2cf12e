package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.eval.Dataset;
import dev.srtune.eval.FolderTune;
import dev.srtune.eval.ImageFailure;
import dev.srtune.eval.ResultStore;
import dev.srtune.image.ImageFile;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.report.Outputs;
import dev.srtune.spark.ImageTaskResult;
import dev.srtune.spark.SparkFolderJob;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.LrLpips;
import dev.srtune.tune.TuneJob;
import dev.srtune.uncertainty.McDropoutSettings;
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

/** {@code srtune tune}: fine-tune a model on one LR image. */
@Command(name = "tune", mixinStandardHelpOptions = true,
    description = "Fine-tune an SR SavedModel on one low-resolution image so that A(f(y)) agrees with y; "
        + "writes sr.png, sr_start.png and report.json. With --input-dir, every image of a folder (--engine spark: "
        + "one Spark task per image).")
public final class TuneCommand implements Callable<Integer>, FolderCommand {
  @Option(names = "--model", required = true, description = "SavedModel directory (srtune signature lr -> sr).")
  Path model;

  @Option(names = "--input", description = "The low-resolution image y (PNG, JPEG, BMP, TIFF...; see "
      + "docs/users-photos.md).")
  Path input;

  @Option(names = "--input-dir", description = "A folder of LR PNG images instead of --input: each is fine-tuned "
      + "alone into --out/NAME/, then --out/results.csv and results.json list them all. Resumable: run the same "
      + "command again to continue; a failing image is recorded in its error.json and the others finish.")
  Path inputDir;

  @Option(names = "--hr", description = "Ground-truth HR image, for HR-PSNR in the report.")
  Path hr;

  @Option(names = "--out", defaultValue = "srtune-out", description = "Output folder. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--export", description = "Also write the fine-tuned network as a SavedModel here.")
  Path export;

  @Option(names = "--hr-every", defaultValue = "10",
      description = "With --hr, measure HR-PSNR every N iterations for the curve. Default: ${DEFAULT-VALUE}.")
  int hrEvery;

  @Option(names = "--uncertainty", arity = "0..1", fallbackValue = "50", paramLabel = "PASSES",
      description = "Also map the Monte-Carlo dropout variance (PASSES passes, default 50; --dropout, --dropout-seed) "
          + "of the pretrained and of the fine-tuned network, as the paper's Figure 9: writes uncertainty_start.png, "
          + "uncertainty.png (one grey scale), uncertainty_strip.png (SR before | after | variance before | after), "
          + "variance_start.npy, variance.npy, and the mean variance before/after in report.json.")
  Integer uncertaintyPasses;

  @Mixin TuneOptions tune;

  @Mixin EngineOptions engine;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if ((input == null) == (inputDir == null)) {
      throw new UserInputException("Give one LR image with --input or a folder of them with --input-dir.");
    }
    if (inputDir != null) {
      return callFolder();
    }
    if (engine.spark()) {
      throw new UserInputException("--engine spark runs a folder of images: use --input-dir, or leave --engine out.");
    }
    McDropoutSettings maps = uncertaintyPasses == null ? null : tune.dropout(uncertaintyPasses);
    String[] files = java.util.stream.Stream.concat(java.util.Arrays.stream(TuneJob.outputFiles(maps != null)),
        java.util.Arrays.stream(tune.kernelFiles())).toArray(String[]::new);
    new Outputs().folder(out, "--out", files).savedModel(export, "--export")
        .reads(input, "--input").reads(hr, "--hr").reads(model, "--model").reads(tune.kernelFile(), "--blur kernel file")
        .check();
    int s = tune.scaleFor(model);
    dev.srtune.tune.ImagePolicies policies = tune.imagePolicies();
    ImageFile lrFile = ImageFiles.readFile(input);
    RgbImage y = lrFile.image();
    RgbImage ground = hr == null ? null : ImageFiles.read(hr).modcrop(s);
    java.util.Map<String, Object> estimate = tune.estimateBlur(y, s, out);
    // A variance mask uses the maps' passes, so one pretrained map serves both.
    FineTuneOptions o = tune.toOptions(s, FineTuneOptions.MAX_ITERATIONS_DEFAULT,
        maps != null ? maps.passes() : McDropoutSettings.PASSES_DEFAULT);
    dev.srtune.tune.ImagePolicies.Decided decided = policies.decide(o, lrFile);
    o = decided.options();
    ProgressLine progress = new ProgressLine(System.err, "tune", o, tune.session().precision());
    TuneJob.Outcome res = new TuneJob(model, input, y, ground, s, o, out, export, hrEvery, progress, maps)
        .withSession(tune.session()).execute(report -> {
          decided.addTo(report);
          if (estimate != null) {
            report.put("blur_estimate", estimate);
          }
        });
    progress.finish();
    if (estimate != null) {
      System.out.printf(Locale.ROOT, "estimated the blur kernel from the LR image in %.1f s: %s%n",
          ((Number) ((java.util.Map<?, ?>) estimate.get("estimator")).get("seconds")).doubleValue(),
          out.resolve(dev.srtune.blind.EstimatedBlur.KERNEL_NPY));
    }
    var r = res.result();
    System.out.printf(Locale.ROOT, "LR-PSNR %.3f -> %.3f dB%s%n", r.startRecord().lrPsnr(), r.finalRecord().lrPsnr(),
        res.hrPsnrStart() == null ? "" : String.format(Locale.ROOT, "; HR-PSNR %.3f -> %.3f dB",
            res.hrPsnrStart(), res.hrPsnrEnd()));
    if (r.finalRecord().metrics().containsKey(LrLpips.NAME)) {
      Object hrLpips = res.report().asMap().get("hr_lpips");
      System.out.printf(Locale.ROOT, "LR-LPIPS %.5f -> %.5f%s%n", r.startRecord().metric(LrLpips.NAME),
          r.finalRecord().metric(LrLpips.NAME), hrLpips instanceof java.util.Map<?, ?> h
              ? "; HR-LPIPS " + h.get("start") + " -> " + h.get("end") : "");
    }
    if (res.report().asMap().get("uncertainty") instanceof java.util.Map<?, ?> u
        && u.get("mean_variance") instanceof java.util.Map<?, ?> mv) {
      System.out.printf(Locale.ROOT, "mean dropout variance %.4g -> %.4g (uncertainty_strip.png)%n",
          ((Number) mv.get("start")).doubleValue(), ((Number) mv.get("end")).doubleValue());
    }
    System.out.printf(Locale.ROOT, "%d iterations (%s) in %.1f s (%.3f s/iteration); wrote %s%n", r.iterations(),
        r.stopReason(), r.seconds(), r.secondsPerIteration(), out.resolve("report.json"));
    return 0;
  }

  /** {@code --input-dir}: every LR image of the folder, on the chosen engine. */
  private int callFolder() throws Exception {
    if (hr != null || export != null || uncertaintyPasses != null) {
      throw new UserInputException("--hr, --export and --uncertainty are for one image (--input); leave them out "
          + "with --input-dir.");
    }
    // Each image's run goes into OUT/NAME/: those folders are outputs too.
    List<String> names = new java.util.ArrayList<>(List.of(FolderTune.FILES));
    if (java.nio.file.Files.isDirectory(inputDir)) {
      Dataset.list(inputDir, List.of(), "Input folder", "LR").forEach(e -> names.add(e.name() + "/"));
    }
    Outputs outputs = new Outputs().folder(out, "--out", names.toArray(String[]::new)).reads(model, "--model")
        .reads(inputDir, "--input-dir").reads(tune.kernelFile(), "--blur kernel file");
    outputs.check();
    boolean spark = engine.spark();
    FolderTune job = folderJob();
    List<Dataset.Entry> pending = job.prepare();
    if (spark) {
      List<ImageTaskResult> done = SparkFolderJob.run(engine.master, "srtune tune", EvalCommand.originalArgs(spec),
          FolderCommand::parse, pending.stream().map(Dataset.Entry::name).toList());
      for (ImageTaskResult r : done) {
        if (!r.ok() && ResultStore.readFailure(job.imageDir(r.name())).isEmpty()) {
          java.nio.file.Files.createDirectories(job.imageDir(r.name()));
          ResultStore.writeFailure(job.imageDir(r.name()), new ImageFailure(r.name(), r.message(), false));
        }
      }
    } else {
      for (Dataset.Entry image : pending) {
        ProgressLine progress = new ProgressLine(System.err, "tune " + image.name(), job.options(),
            job.session().precision());
        Optional<String> line = job.tuneOne(image, progress);
        progress.finish();
        System.err.println("tune " + image.name() + ": " + line.orElse("failed"));
      }
    }
    FolderTune.Outcome o = job.finish();
    System.out.printf(Locale.ROOT, "%d of %d images finished (%d fine-tuned now); wrote %s%n", o.reports().size(),
        o.total(), pending.size() - o.failed().stream().filter(f -> pending.stream()
            .anyMatch(e -> e.name().equals(f.name()))).count(), out.resolve("results.csv"));
    return o.failed().isEmpty() ? 0 : EvalCommand.reportFailures(o.failed(), out);
  }

  private FolderTune folderJob() {
    int s = tune.scaleFor(model);
    return new FolderTune(model, inputDir, s, tune.toOptions(s, FineTuneOptions.MAX_ITERATIONS_DEFAULT),
        tune.session(), tune.imagePolicies(), out);
  }

  @Override
  public String runOne(String name) throws Exception {
    FolderTune job = folderJob();
    Dataset.Entry image = Dataset.list(inputDir, List.of(name), "Input folder", "LR").get(0);
    return job.tuneOne(image, IterationListener.none()).orElse(null);
  }
}
