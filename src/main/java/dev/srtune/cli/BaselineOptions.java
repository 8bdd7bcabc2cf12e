package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.baseline.Baseline;
import dev.srtune.baseline.BaselineJob;
import dev.srtune.degrade.KernelFiles;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.report.Outputs;
import dev.srtune.tune.TuneJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** What {@code zssr} and {@code dip} share: the LR image, A, the limits, the seed and the outputs (a mixin). */
public final class BaselineOptions {
  @Option(names = "--input", required = true, description = "The low-resolution image y (PNG).")
  Path input;

  @Option(names = "--hr", description = "Ground-truth HR image, for HR-PSNR (and bicubic's) in the report.")
  Path hr;

  @Option(names = "--scale", required = true, description = "Super-resolution factor, " + Degradations.SCALES + ".")
  int scale;

  @Option(names = "--downsampler", defaultValue = "bicubic",
      description = "Downsampler D of A = D∘B: bicubic, bicubic-sym, lanczos3. Default: ${DEFAULT-VALUE}.")
  String downsampler;

  @Option(names = "--blur", description = "Blur B applied before downscaling (none by default): gaussian:SIZE:SIGMA, "
      + "gaussian:SIZE:SIGMA1,SIGMA2,THETA, disk:R, kernel:FILE (.npy or text) or random:seed=N[,size=K][,noise=X].")
  String blur;

  @Option(names = "--max-iters", description = "Iteration cap (default: the method's published one).")
  Integer maxIters;

  @Option(names = "--time-budget", description = "Stop training after this many seconds.")
  Double timeBudget;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the initial weights, the input noise and "
      + "the crops; one seed gives the same run. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--hr-every", defaultValue = "10", description = "With --hr, HR-PSNR for the curve every N "
      + "iterations where the method measures. Default: ${DEFAULT-VALUE}.")
  int hrEvery;

  @Option(names = "--out", defaultValue = "srtune-out", description = "Output folder. Default: ${DEFAULT-VALUE}.")
  Path out;

  Degradation operator() {
    return operator(blur, downsampler, scale);
  }

  static Degradation operator(String blur, String downsampler, int scale) {
    try {
      return Degradations.operator(blur, downsampler, scale, KernelFiles.INSTANCE);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
  }

  /** The iteration cap and time budget, checked. */
  static Duration budget(Double seconds) {
    if (seconds == null) {
      return null;
    }
    if (!(seconds > 0)) {
      throw new UserInputException("--time-budget must be a positive number of seconds.");
    }
    return Duration.ofMillis((long) (seconds * 1000));
  }

  static int iterations(Integer maxIters, int fallback) {
    int k = maxIters != null ? maxIters : fallback;
    if (k < 0) {
      throw new UserInputException("--max-iters must be 0 or more.");
    }
    return k;
  }

  Path kernelFile() {
    return blur != null && blur.startsWith("kernel:") && blur.length() > "kernel:".length()
        ? Path.of(blur.substring("kernel:".length())) : null;
  }

  /** Checks, runs {@code method} and prints the outcome in two lines, as {@code tune} does. */
  int run(String command, Baseline method) throws Exception {
    new Outputs().folder(out, "--out", TuneJob.OUTPUT_FILES).reads(input, "--input").reads(hr, "--hr")
        .reads(kernelFile(), "--blur kernel file").check();
    if (hrEvery < 0) {
      throw new UserInputException("--hr-every must be 0 or more.");
    }
    Degradation a = operator();
    RgbImage y = ImageFiles.read(input);
    RgbImage ground = hr == null ? null : ImageFiles.read(hr).modcrop(scale);
    method.check(y.height(), y.width(), a);
    ProgressLine progress = new ProgressLine(System.err, command, budget(timeBudget));
    TuneJob.Outcome res = new BaselineJob(method, input, y, ground, a, out, hrEvery, progress).execute();
    progress.finish();
    var r = res.result();
    Object bicubic = res.report().asMap().get("hr_psnr_bicubic");
    System.out.printf(Locale.ROOT, "LR-PSNR %.3f -> %.3f dB%s%n", r.startRecord().lrPsnr(), r.finalRecord().lrPsnr(),
        res.hrPsnrStart() == null ? "" : String.format(Locale.ROOT, "; HR-PSNR %.3f -> %.3f dB (bicubic %.3f dB)",
            res.hrPsnrStart(), res.hrPsnrEnd(), ((Number) bicubic).doubleValue()));
    System.out.printf(Locale.ROOT, "%d iterations (%s) in %.1f s (%.3f s/iteration); wrote %s%n", r.iterations(),
        r.stopReason(), r.seconds(), r.secondsPerIteration(), out.resolve("report.json"));
    return 0;
  }
}
