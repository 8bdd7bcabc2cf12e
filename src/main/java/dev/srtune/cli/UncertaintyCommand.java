package dev.srtune.cli;

import com.google.gson.GsonBuilder;
import dev.srtune.UserInputException;
import dev.srtune.graph.dropout.DropoutPlacement;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import dev.srtune.model.MemoryEstimate;
import dev.srtune.model.SrModel;
import dev.srtune.report.Outputs;
import dev.srtune.report.Provenance;
import dev.srtune.uncertainty.McDropoutNetwork;
import dev.srtune.uncertainty.UncertaintyEstimate;
import dev.srtune.uncertainty.VariancePicture;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code srtune uncertainty}: Monte-Carlo dropout variance map of a model's prediction for one LR image. */
@Command(name = "uncertainty", mixinStandardHelpOptions = true,
    description = "Insert dropout into an SR SavedModel at test time (no retraining), run it many times on one "
        + "low-resolution image and map the per-pixel variance of its predictions (the paper's Section V-B); "
        + "writes mean.png, variance.npy, variance.png and uncertainty.json.")
public final class UncertaintyCommand implements Callable<Integer> {
  /** What the command writes into {@code --out}. */
  public static final String[] OUTPUT_FILES = {"mean.png", "variance.npy", "variance.png", "uncertainty.json"};
  /** Most passes one session run computes when {@code --batch} is automatic. */
  static final int MAX_AUTO_BATCH = 8;
  /** Per-pass memory of the dropout graph over the plain network's (masks and uniforms at each site). */
  static final double DROPOUT_MEMORY_FACTOR = 2.0;

  @Option(names = "--model", required = true, description = "SavedModel directory (srtune signature lr -> sr).")
  Path model;

  @Option(names = "--input", required = true, description = "The low-resolution image (PNG).")
  Path input;

  @Option(names = "--out", required = true, description = "Output folder.")
  Path out;

  @Option(names = "--passes", defaultValue = "50", description = "Forward passes. Default: ${DEFAULT-VALUE}.")
  int passes;

  @Option(names = "--dropout", defaultValue = "0.0005",
      description = "Dropout rate p at each site. Default: ${DEFAULT-VALUE} (the paper's).")
  double rate;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the dropout masks. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--layers", description = "Put dropout after every op whose name contains a match of this Java "
      + "regular expression instead of after every convolution block (the default, between residual blocks).")
  String layers;

  @Option(names = "--batch", defaultValue = "0",
      description = "Passes per session run; 0 picks it from the memory one pass needs. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Override
  public Integer call() throws Exception {
    new Outputs().folder(out, "--out", OUTPUT_FILES).reads(input, "--input").reads(model, "--model").check();
    if (passes < 2) {
      throw new UserInputException("--passes " + passes + " gives no variance; use at least 2 (the paper uses 50).");
    }
    if (!(rate >= 0 && rate < 1)) {
      throw new UserInputException("--dropout " + rate + " is not a rate in [0,1); give e.g. 0.0005.");
    }
    if (batch < 0) {
      throw new UserInputException("--batch " + batch + " is negative; give 0 (automatic) or a number of passes.");
    }
    DropoutPlacement placement;
    try {
      placement = layers == null ? DropoutPlacement.blocks() : DropoutPlacement.matching(layers);
    } catch (PatternSyntaxException e) {
      throw new UserInputException("--layers '" + layers + "' is not a valid regular expression ("
          + e.getDescription() + "); give e.g. 'Relu'.");
    }
    RgbImage y = ImageFiles.read(input);
    try (SrModel m = SrModel.load(model)) {
      int b = batch > 0 ? batch : autoBatch(m, y);
      b = Math.min(b, passes);
      McDropoutNetwork batched = McDropoutNetwork.insert(m, placement, rate, b);
      if (b > 1 && !batched.runsBatched(y)) {
        System.err.printf(Locale.ROOT, "uncertainty: the model does not take %d passes in one run; running one "
            + "at a time%n", b);
        batched.close();
        batched = McDropoutNetwork.insert(m, placement, rate, 1);
      }
      try (McDropoutNetwork net = batched) {
        System.err.printf(Locale.ROOT, "uncertainty: dropout p = %s after %d ops (%s), %d passes, %d per run%n",
            rate, net.sites().size(), net.placement(), passes, b);
        UncertaintyEstimate e = UncertaintyEstimate.run(net, y, passes, seed, progress());
        System.err.println();
        write(m, net, e, y);
        System.out.printf(Locale.ROOT, "mean variance %.4g (p99 %.4g) over %d passes in %.1f s; wrote %s%n",
            e.meanVariance(), e.percentile(99), e.passes(), e.seconds(), out.resolve("uncertainty.json"));
      }
    }
    return 0;
  }

  /** As many passes per run as fit the default memory budget, from the plain network's traced memory. */
  static int autoBatch(SrModel m, RgbImage y) {
    int scale = m.scale() > 0 ? m.scale() : 1;
    var lr = m.bundle().graph().operation(dev.srtune.graph.savedmodel.SrSignature.INPUT);
    var sr = m.bundle().graph().operation(dev.srtune.graph.savedmodel.SrSignature.OUTPUT);
    if (lr == null || sr == null) {
      return 1;
    }
    @SuppressWarnings("unchecked")
    MemoryEstimate est = MemoryEstimate.measure(m.bundle().session(),
        (org.tensorflow.Output<org.tensorflow.types.TFloat32>) (org.tensorflow.Output<?>) lr.output(0),
        (org.tensorflow.Output<org.tensorflow.types.TFloat32>) (org.tensorflow.Output<?>) sr.output(0), scale);
    double perPass = DROPOUT_MEMORY_FACTOR * est.bytes(y.height(), y.width());
    return (int) Math.max(1, Math.min(MAX_AUTO_BATCH, MemoryEstimate.defaultBudget() / perPass));
  }

  private static UncertaintyEstimate.Progress progress() {
    boolean tty = System.console() != null;
    long[] last = {0};
    return (done, total, seconds) -> {
      long now = System.nanoTime();
      if (!tty && done < total && now - last[0] < 5_000_000_000L) {
        return;
      }
      last[0] = now;
      double eta = seconds / done * (total - done);
      System.err.printf(Locale.ROOT, "%suncertainty: %d/%d passes, %.1f s, %.2f s/pass, ETA %.0f s%s",
          tty ? "\r" : "", done, total, seconds, seconds / done, eta, tty ? "" : "\n");
    };
  }

  private void write(SrModel m, McDropoutNetwork net, UncertaintyEstimate e, RgbImage y) throws java.io.IOException {
    ImageFiles.writePng(e.mean(), out.resolve("mean.png"));
    Npy.write(out.resolve("variance.npy"), new int[] {e.height(), e.width()}, e.variance());
    double top = e.percentile(99) > 0 ? e.percentile(99) : e.percentile(100);
    ImageFiles.writePng(VariancePicture.draw(e.variance(), e.height(), e.width(), top), out.resolve("variance.png"));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", m.dir().toAbsolutePath().toString());
    report.put("model_name", m.name());
    report.put("input", input.toAbsolutePath().toString());
    report.put("lr_size", new int[] {y.height(), y.width()});
    report.put("sr_size", new int[] {e.height(), e.width()});
    report.put("passes", e.passes());
    report.put("dropout", rate);
    report.put("seed", seed);
    report.put("placement", net.placement());
    report.put("sites", net.sites());
    report.put("passes_per_run", net.batch());
    report.put("seconds", e.seconds());
    report.put("seconds_per_pass", e.seconds() / e.passes());
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("definition", "population variance over passes of each RGB channel of the outputs clipped to [0,1], "
        + "averaged over the channels");
    v.put("mean", e.meanVariance());
    v.put("p50", e.percentile(50));
    v.put("p90", e.percentile(90));
    v.put("p99", e.percentile(99));
    v.put("max", e.percentile(100));
    v.put("picture_black_at", top);
    report.put("variance", v);
    report.put("versions", Provenance.versions());
    ImageFiles.AtomicFiles.writeString(out.resolve("uncertainty.json"),
        new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(report) + "\n");
  }
}
