package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.degrade.KernelFiles;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.FineTuner;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.StopRule;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code srtune bench}: how long one fine-tuning iteration and one forward pass take on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Median time of one fine-tuning iteration and of one forward pass on an N x N LR input, and the "
        + "images per hour that implies.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "SavedModel directory.")
  Path model;

  @Option(names = "--lr-size", defaultValue = "64", description = "LR side N. Default: ${DEFAULT-VALUE}.")
  int size;

  @Option(names = "--repeats", defaultValue = "10", description = "Timed repetitions. Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Option(names = "--iterations-per-image", defaultValue = "880",
      description = "Iterations per image for the images/hour figure (880 = the paper's ENet* Set5 x2 average, "
          + "Table VI). Default: ${DEFAULT-VALUE}.")
  int perImage;

  @Option(names = "--downsampler", defaultValue = "bicubic", description = "Operator A. Default: ${DEFAULT-VALUE}.")
  String downsampler;

  @Option(names = "--blur", description = "Blur B of A = D∘B, as for tune (none by default).")
  String blur;

  @Override
  public Integer call() {
    if (size < 8 || repeats < 1 || perImage < 1) {
      throw new UserInputException("Use --lr-size >= 8, --repeats >= 1 and --iterations-per-image >= 1.");
    }
    RgbImage y = noise(size);
    try (SrModel m = SrModel.load(model)) {
      int s = m.scale() != 0 ? m.scale() : 4;
      FineTuneOptions o = FineTuneOptions.defaults(operator(s))
          .withStopRule(StopRule.none()).withMaxIterations(repeats + 2);
      double[] forward = new double[repeats];
      double[] step;
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
      }
      double f = median(forward);
      double it = median(step);
      System.out.printf(Locale.ROOT, "model %s (x%d), LR %dx%d -> SR %dx%d, %d threads, A = %s%n", m.name(), s, size,
          size, size * s, size * s, Runtime.getRuntime().availableProcessors(), o.operator().spec());
      System.out.printf(Locale.ROOT, "forward pass:          median %.1f ms (min %.1f) over %d%n", f * 1e3,
          Arrays.stream(forward).min().orElse(0) * 1e3, repeats);
      System.out.printf(Locale.ROOT, "fine-tuning iteration: median %.1f ms (min %.1f) over %d%n", it * 1e3,
          Arrays.stream(step).min().orElse(0) * 1e3, repeats);
      System.out.printf(Locale.ROOT, "images/hour at %d iterations each: %.2f%n", perImage, 3600 / (it * perImage));
    }
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
