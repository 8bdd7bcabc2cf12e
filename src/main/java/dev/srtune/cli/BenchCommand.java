package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.degrade.KernelFiles;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.eval.TimeToQuality;
import dev.srtune.image.RgbImage;
import dev.srtune.model.KernelReport;
import dev.srtune.model.SrModel;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.FineTuner;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.IterationRecord;
import dev.srtune.tune.SessionSettings;
import dev.srtune.tune.StopRule;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code srtune bench}: how long one fine-tuning iteration and one forward pass take on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Median time of one fine-tuning iteration and of one forward pass on an N x N LR input, and the "
        + "images per hour that implies; with --time-to-quality, HR-PSNR against wall seconds of the paper and fast "
        + "schedules on one image, and the speed-up at equal HR-PSNR.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--model", description = "SavedModel directory (with --time-to-quality, default: EnhanceNet "
      + "built for --scale, fetched like the demo's).")
  Path model;

  @Option(names = "--time-to-quality", description = "Run --schedules back to back on --hr (LR made by the operator, "
      + "as degrade makes it) and write time-to-quality.csv and .png into --out.")
  boolean timeToQuality;

  @Option(names = "--hr", description = "With --time-to-quality: the HR image.")
  Path hr;

  @Option(names = "--scale", description = "With --time-to-quality: the SR factor. Default: the model's.")
  Integer scale;

  @Option(names = "--budget", description = "With --time-to-quality: plan each schedule for this many seconds "
      + "(as tune's --time-budget; default: each runs as named, planned only the planned one).")
  Double budget;

  @Option(names = "--schedules", defaultValue = "paper,fast", split = ",",
      description = "With --time-to-quality: the schedules (paper, fast, planned), the first being the reference. "
          + "Default: ${DEFAULT-VALUE}.")
  java.util.List<String> schedules;

  @Option(names = "--reference-iteration", defaultValue = "1500",
      description = "With --time-to-quality: compare at the reference schedule's HR-PSNR at this iteration. "
          + "Default: ${DEFAULT-VALUE}.")
  int referenceIteration;

  @Option(names = "--hr-every", defaultValue = "10",
      description = "With --time-to-quality: HR-PSNR every N iterations. Default: ${DEFAULT-VALUE}.")
  int hrEvery;

  @Option(names = "--out", defaultValue = "time-to-quality",
      description = "With --time-to-quality: output folder. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--lr-size", defaultValue = "64", description = "LR side N. Default: ${DEFAULT-VALUE}.")
  int size;

  @Option(names = "--repeats", defaultValue = "10", description = "Timed repetitions. Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Option(names = "--iterations-per-image", defaultValue = "880",
      description = "Iterations per image for the images/hour figure (880 = the paper's ENet* Set5 x2 average, "
          + "Table VI). Default: ${DEFAULT-VALUE}.")
  int perImage;

  @Option(names = "--precision", defaultValue = "fp32", description = "fp32 (bf16 is refused for now: see tune "
      + "--help); with --time-to-quality also auto (each schedule as tune would choose). Default: ${DEFAULT-VALUE}.")
  String precision;

  @Option(names = "--profile", description = "Also trace one full-image step and print where its time went, kernel "
      + "by kernel (TensorFlow's step stats).")
  boolean profile;

  @Option(names = "--max-iters", description = "With --time-to-quality: iteration cap of every schedule "
      + "(default 4000).")
  Integer maxIters;

  @Option(names = "--downsampler", defaultValue = "bicubic", description = "Operator A. Default: ${DEFAULT-VALUE}.")
  String downsampler;

  @Option(names = "--blur", description = "Blur B of A = D∘B, as for tune (none by default).")
  String blur;

  @Override
  public Integer call() throws Exception {
    if (timeToQuality) {
      return timeToQuality();
    }
    if (model == null) {
      throw new UserInputException("Give --model, the SavedModel to time.");
    }
    if (size < 8 || repeats < 1 || perImage < 1) {
      throw new UserInputException("Use --lr-size >= 8, --repeats >= 1 and --iterations-per-image >= 1.");
    }
    if (dev.srtune.model.Precision.parse(precision) == dev.srtune.model.Precision.AUTO) {
      throw new UserInputException("bench times one precision; give --precision fp32 (auto chooses per run: use it "
          + "with --time-to-quality).");
    }
    RgbImage y = noise(size);
    // bf16 is refused here too: TensorFlow's rewrite would reach A (a 15x15 blur hung oneDNN's JIT), see SrModel.
    try (SrModel m = SrModel.load(model, dev.srtune.model.Precision.parse(precision), false)) {
      int s = m.scale() != 0 ? m.scale() : 4;
      FineTuneOptions o = FineTuneOptions.defaults(operator(s))
          .withStopRule(StopRule.none()).withMaxIterations(repeats + 2);
      double[] forward = new double[repeats];
      double[] step;
      KernelReport kernels;
      dev.srtune.model.StepProfile stepProfile = null;
      try (FineTuner tuner = FineTuner.attach(m.bundle(), o)) {
        tuner.superResolve(y);
        tuner.superResolve(y);
        for (int i = 0; i < repeats; i++) {
          long t0 = System.nanoTime();
          tuner.superResolve(y);
          forward[i] = (System.nanoTime() - t0) / 1e9;
        }
        FineTuneResult r = tuner.run(y, IterationListener.none());
        // Per-iteration times from the curve, skipping the first two (warm-up).
        step = new double[repeats];
        for (int i = 0; i < repeats; i++) {
          step[i] = r.curve().get(i + 2).elapsedSeconds() - r.curve().get(i + 1).elapsedSeconds();
        }
        try (TFloat32 x = y.toTensor()) { // after the timing: which kernels the gradient convolutions ran as
          kernels = KernelReport.ofBackwardPass(m.bundle(), x);
          if (profile) {
            stepProfile = KernelReport.profileBackwardPass(m.bundle(), x);
          }
        }
      }
      // The fast schedule's iteration: a crop batch step, plus a whole-image measurement every N iterations.
      FineTuneOptions fast = dev.srtune.tune.Schedules.fast(operator(s)).withStopRule(StopRule.none());
      int every = fast.measureEvery();
      int fastIters = every * (Math.max(2, (repeats + every - 1) / every) + 1) + 1;
      double fastIteration;
      try (FineTuner tuner = FineTuner.attach(m.bundle(), fast.withMaxIterations(fastIters))) {
        FineTuneResult r = tuner.run(y, IterationListener.none());
        IterationRecord first = r.curve().get(1); // after one interval of warm-up
        IterationRecord last = r.curve().get(r.curve().size() - 1);
        fastIteration = (last.elapsedSeconds() - first.elapsedSeconds()) / (last.iteration() - first.iteration());
      }
      double f = median(forward);
      double it = median(step);
      System.out.printf(Locale.ROOT, "model %s (x%d), LR %dx%d -> SR %dx%d, %d threads, A = %s, precision %s%n",
          m.name(), s, size, size, size * s, size * s, Runtime.getRuntime().availableProcessors(), o.operator().spec(),
          dev.srtune.model.Precision.parse(precision).spec());
      System.out.println("cpu: " + KernelReport.cpu());
      System.out.printf(Locale.ROOT, "forward pass:          median %.1f ms (min %.1f) over %d%n", f * 1e3,
          Arrays.stream(forward).min().orElse(0) * 1e3, repeats);
      System.out.printf(Locale.ROOT, "fine-tuning iteration: median %.1f ms (min %.1f) over %d%n", it * 1e3,
          Arrays.stream(step).min().orElse(0) * 1e3, repeats);
      System.out.printf(Locale.ROOT, "images/hour at %d iterations each: %.2f%n", perImage, 3600 / (it * perImage));
      System.out.printf(Locale.ROOT, "fast schedule iteration (%s, whole-image LR-PSNR every %d): mean %.1f ms%n",
          fast.sampler().spec(), every, fastIteration * 1e3);
      System.out.println(kernels.summary());
      kernels.warning().ifPresent(System.out::println);
      if (stepProfile != null) {
        System.out.println("step profile (forward and backward of one full-image step, by kernel): "
            + stepProfile.summary(6));
      }
    }
    return 0;
  }

  private int timeToQuality() throws Exception {
    if (hr == null) {
      throw new UserInputException("--time-to-quality needs --hr, the HR image to fine-tune on.");
    }
    if (budget != null && !(budget > 0)) {
      throw new UserInputException("--budget must be a positive number of seconds.");
    }
    if (hrEvery < 1 || referenceIteration < 0 || schedules.isEmpty() || (maxIters != null && maxIters < 1)) {
      throw new UserInputException("Use --hr-every >= 1, --reference-iteration >= 0, --max-iters >= 1 and at least one schedule.");
    }
    java.util.List<String> written = new java.util.ArrayList<>(java.util.List.of("time-to-quality.csv",
        "time-to-quality.png"));
    schedules.forEach(n -> written.add(n.trim() + "/"));
    new dev.srtune.report.Outputs().folder(out, "--out", written.toArray(String[]::new)).reads(hr, "--hr")
        .reads(model, "--model").check();
    Path home = Path.of(System.getProperty("srtune.home", "."));
    Path m = model;
    int s;
    if (m == null) {
      s = scale != null ? scale : 2;
      m = DemoModel.ENHANCENET.prepare(home, s).model();
    } else {
      try (SrModel loaded = SrModel.load(m)) {
        s = scale != null ? scale : loaded.scale();
      }
      if (s == 0) {
        throw new UserInputException("The model does not say its scale; give --scale.");
      }
    }
    RgbImage ground = dev.srtune.image.ImageFiles.read(hr).modcrop(s);
    java.util.Map<String, FineTuneOptions> runs = new java.util.LinkedHashMap<>();
    SessionSettings session = new SessionSettings(dev.srtune.model.Precision.parse(precision), null);
    for (String name : schedules) {
      FineTuneOptions o;
      try {
        o = dev.srtune.tune.Schedules.named(name.trim(), operator(s));
      } catch (IllegalArgumentException e) {
        throw new UserInputException(e.getMessage());
      }
      if (maxIters != null) {
        o = o.withMaxIterations(maxIters);
      }
      runs.put(name.trim(), budget == null ? o : o.withTimeBudget(java.time.Duration.ofMillis((long) (budget * 1000))));
    }
    java.nio.file.Files.createDirectories(out);
    System.err.printf(Locale.ROOT, "time to quality on %s x%d: %s, one after the other%n", hr, s, runs.keySet());
    java.util.List<TimeToQuality.Run> results = new java.util.ArrayList<>();
    for (var e : runs.entrySet()) {
      ProgressLine progress = new ProgressLine(System.err, e.getKey(), e.getValue(), session.precision());
      results.add(TimeToQuality.run(m, ground, s, e.getKey(), e.getValue(), session, hrEvery, out, progress));
      progress.finish();
    }
    TimeToQuality.writeCsv(results, out.resolve("time-to-quality.csv"));
    TimeToQuality.writePlot(String.format(Locale.ROOT, "%s x%d: HR-PSNR against wall time", hr.getFileName(), s),
        results, out.resolve("time-to-quality.png"));
    for (TimeToQuality.Run r : results) {
      System.out.printf(Locale.ROOT, "%-6s %4d iterations (%s) in %6.1f s: HR-PSNR %.3f -> %.3f dB%n", r.schedule(),
          r.iterations(), r.stopReason(), r.seconds(), r.curve().get(0).hrPsnr(), r.hrPsnrEnd());
    }
    TimeToQuality.Run ref = results.get(0);
    for (TimeToQuality.Run r : results.subList(1, results.size())) {
      TimeToQuality.Comparison c = TimeToQuality.compare(ref, r, referenceIteration);
      System.out.printf(Locale.ROOT, "%s reaches %.3f dB (%s's HR-PSNR at iteration %d) after %.1f s, %s after %s: "
          + "%s%n", ref.schedule(), c.targetHrPsnr(), ref.schedule(), c.referenceIteration(), c.referenceSeconds(),
          r.schedule(), Double.isNaN(c.otherSeconds()) ? "never" : String.format(Locale.ROOT, "%.1f s",
              c.otherSeconds()),
          Double.isNaN(c.otherSeconds()) ? "no speed-up" : String.format(Locale.ROOT, "%.1fx sooner", c.speedUp()));
      System.out.printf(Locale.ROOT, "at the end: %s %.3f dB, %s %.3f dB (%+.3f dB)%n", ref.schedule(),
          ref.hrPsnrEnd(), r.schedule(), r.hrPsnrEnd(), r.hrPsnrEnd() - ref.hrPsnrEnd());
    }
    System.out.println("wrote time-to-quality.csv, time-to-quality.png and one folder per schedule to " + out);
    return 0;
  }

  private Degradation operator(int s) {
    try {
      return Degradations.operator(blur, downsampler, s, KernelFiles.INSTANCE);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
  }

  static RgbImage noise(int n) {
    Random rnd = new Random(1);
    float[] d = new float[n * n * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = rnd.nextFloat();
    }
    return new RgbImage(n, n, d);
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }
}
