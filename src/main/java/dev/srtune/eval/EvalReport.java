package dev.srtune.eval;

import dev.srtune.image.ImageFiles;
import dev.srtune.report.Provenance;
import dev.srtune.tune.FineTuneOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The evaluation's tables, rebuilt from the stored per-image results: {@code results.csv} (one row per image),
 * {@code results.json} (settings, conventions, averages, per-image rows), {@code results.md} (shaped like the
 * paper's Tables I/III and VI, conventions in the header) and {@code index.html}.
 */
public final class EvalReport {
  static final String DASH = "—";
  private final EvalSettings settings;
  private final String lpips;
  private final Evaluation.Outcome outcome;
  private final Averages mean;

  public EvalReport(EvalSettings settings, String lpips, Evaluation.Outcome outcome) {
    this.settings = settings;
    this.lpips = lpips;
    this.outcome = outcome;
    this.mean = Averages.of(outcome.results());
  }

  public Averages averages() {
    return mean;
  }

  private Path out() {
    return settings.out();
  }

  public void writeTables() throws IOException {
    ImageFiles.AtomicFiles.writeString(out().resolve("results.csv"), csv());
    ImageFiles.AtomicFiles.writeString(out().resolve("results.json"), ResultStore.GSON.toJson(json()) + "\n");
    ImageFiles.AtomicFiles.writeString(out().resolve("results.md"), markdown());
  }

  public void writeIndex() throws IOException {
    ImageFiles.AtomicFiles.writeString(out().resolve("index.html"), new IndexPage(this).html());
  }

  // ---- conventions ----

  /** Label → value lines naming every convention the numbers depend on. */
  Map<String, String> conventions() {
    FineTuneOptions o = settings.options();
    int s = settings.scale();
    Map<String, String> m = new LinkedHashMap<>();
    if (settings.baseline() != null) {
      m.put("Method", settings.method() + ", trained from scratch on each LR image (start = its network before any "
          + "update, end = its result); settings " + settings.baseline().settings());
    } else {
      m.put("Model", settings.model().toString());
    }
    m.put("Dataset", String.format(Locale.ROOT, "%s (%d of %d images finished%s)", datasetName(),
        outcome.results().size(), outcome.total(), outcome.complete() ? "" : ": INCOMPLETE, run again to resume"));
    if (!outcome.failed().isEmpty()) {
      m.put("Failed", String.join("; ", outcome.failed().stream().map(f -> f.name() + ": " + f.message()).toList())
          + " (fix or remove, then run again)");
    }
    ImageOperators ops = settings.operators();
    m.put("Operator A", ops.tuneSpec() + " x" + s + "; LR made "
        + (ops.lrSpec().equals(ops.tuneSpec()) ? "" : "with " + ops.lrSpec() + " x" + s + " ")
        + "as `srtune degrade` makes it (modcrop to a multiple of " + s + ", 8-bit rounding as MATLAB/PIL)"
        + (ImageOperators.perImage(ops.lrSpec()) || ImageOperators.perImage(ops.tuneSpec())
        ? "; " + ImageOperators.POSITION + " is the image's position in the dataset, " + ImageOperators.NAME
        + " its name" : ""));
    m.put("PSNR", "Y channel (BT.601, MATLAB rgb2ycbcr) of the 8-bit images, " + s + " pixels shaved at each "
        + "border; PSNR-RGB: RGB [0,1], no shave");
    m.put("SSIM", "Wang et al. 2004 (11x11 Gaussian, sigma 1.5) on the same shaved Y channel");
    m.put("PS", lpips == null ? "not measured (no LPIPS weights)" : lpips + ", 8-bit output vs HR");
    if (settings.baseline() != null) {
      m.put("Machine", Runtime.getRuntime().availableProcessors() + " CPUs, TensorFlow "
          + Provenance.tensorflowVersion() + " (TF Java 1.1.0), Java " + System.getProperty("java.version"));
      return m;
    }
    m.put("Stop rule", o.stopRule().describe());
    m.put("Iteration budget", "at most " + o.maxIterations() + " iterations per image"
        + (o.timeBudget() == null ? "" : String.format(Locale.ROOT, " and %.0f s", o.timeBudget().toMillis() / 1e3))
        + " (the paper: K = 4000)");
    m.put("Schedule", o.name() + ": sampling " + o.sampler().spec() + ", whole-image LR-PSNR every "
        + o.measureEvery() + (o.measureEvery() == 1 ? " iteration" : " iterations"));
    m.put("Optimiser", String.format(Locale.ROOT, "%s, lr %s (%s)%s", o.optimizer().spec(), o.learningRate(),
        o.schedule().spec(), o.keepBest() ? ", best LR metric kept" : ""));
    m.put("Machine", Runtime.getRuntime().availableProcessors() + " CPUs, TensorFlow " + Provenance.tensorflowVersion()
        + " (TF Java 1.1.0), Java " + System.getProperty("java.version"));
    return m;
  }

  String datasetName() {
    return settings.datasetName() != null ? settings.datasetName()
        : settings.dataset().toAbsolutePath().normalize().getFileName().toString();
  }

  // ---- tables ----

  /** Table I / III shape: bicubic, then the network at the start and the end of fine-tuning. */
  TextTable paperTable() {
    return TextTable.of("Average PSNR-Y (dB) and PS (LPIPS) before and after fine-tuning", List.of("Dataset", "Scale",
        "Bicubic PSNR", "Bicubic PS", "PSNR start", "PSNR end", "PS start", "PS end")).with(List.of(datasetName(),
        "x" + settings.scale(), db(mean.bicubic().psnrY()), ps(mean.bicubic().lpips()), db(mean.start().psnrY()),
        db(mean.end().psnrY()), ps(mean.start().lpips()), ps(mean.end().lpips())));
  }

  /** Table VI shape, plus the other conventions' averages. */
  TextTable costTable() {
    return TextTable.of("Averages: cost (Table VI shape) and other conventions", List.of("Images", "Minutes",
        "Iterations", "Stop reasons", "PSNR-RGB bicubic", "PSNR-RGB start", "PSNR-RGB end", "SSIM-Y start",
        "SSIM-Y end", "LR-PSNR start", "LR-PSNR end")).with(List.of(
        Integer.toString(mean.images()), fmt(mean.seconds() / 60, 2), fmt(mean.iterations(), 0), stopReasons(),
        db(mean.bicubic().psnrRgb()), db(mean.start().psnrRgb()), db(mean.end().psnrRgb()), fmt(mean.start().ssimY(), 4),
        fmt(mean.end().ssimY(), 4), db(mean.lrPsnrStart()), db(mean.lrPsnrEnd())));
  }

  TextTable perImageTable() {
    TextTable t = TextTable.of("Per image", List.of("Image", "Bicubic PSNR", "PSNR start", "PSNR end",
        "PSNR-RGB start", "PSNR-RGB end", "SSIM start", "SSIM end", "PS start", "PS end", "LR-PSNR start",
        "LR-PSNR end", "Iterations", "Stop", "Seconds"));
    for (ImageResult r : outcome.results()) {
      t = t.with(List.of(r.name(), db(r.bicubic().psnrY()), db(r.start().psnrY()), db(r.end().psnrY()),
          db(r.start().psnrRgb()), db(r.end().psnrRgb()), fmt(r.start().ssimY(), 4), fmt(r.end().ssimY(), 4),
          ps(r.start().lpips()), ps(r.end().lpips()), db(r.lrPsnrStart()), db(r.lrPsnrEnd()),
          Integer.toString(r.iterations()), r.stopReason(), fmt(r.seconds(), 1)));
    }
    return t;
  }

  private String stopReasons() {
    Map<String, Integer> counts = new TreeMap<>();
    outcome.results().forEach(r -> counts.merge(r.stopReason(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(k + " " + v));
    return parts.isEmpty() ? DASH : String.join(", ", parts);
  }

  String markdown() {
    StringBuilder sb = new StringBuilder("# srtune eval: ").append(datasetName()).append(" x")
        .append(settings.scale()).append("\n\n");
    conventions().forEach((k, v) -> sb.append("- **").append(k).append("**: ").append(v).append('\n'));
    sb.append('\n').append(paperTable().markdown()).append('\n').append(costTable().markdown()).append('\n')
        .append(perImageTable().markdown());
    return sb.toString();
  }

  // ---- machine-readable ----

  static final List<String> CSV_COLUMNS = List.of("image", "hr_height", "hr_width", "lr_height", "lr_width",
      "bicubic_psnr_rgb", "bicubic_psnr_y", "bicubic_ssim_y", "bicubic_lpips",
      "start_psnr_rgb", "start_psnr_y", "start_ssim_y", "start_lpips",
      "end_psnr_rgb", "end_psnr_y", "end_ssim_y", "end_lpips",
      "lr_psnr_start", "lr_psnr_end", "lr_lpips_start", "lr_lpips_end", "iterations", "stop_reason", "seconds");

  String csv() {
    StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
    for (ImageResult r : outcome.results()) {
      List<String> cells = new ArrayList<>(List.of(r.name(), i(r.hrSize()[0]), i(r.hrSize()[1]), i(r.lrSize()[0]),
          i(r.lrSize()[1])));
      for (Quality q : List.of(r.bicubic(), r.start(), r.end())) {
        cells.addAll(List.of(num(q.psnrRgb()), num(q.psnrY()), num(q.ssimY()), num(q.lpips())));
      }
      cells.addAll(List.of(num(r.lrPsnrStart()), num(r.lrPsnrEnd()), num(r.lrLpipsStart()), num(r.lrLpipsEnd()),
          i(r.iterations()), r.stopReason(), num(r.seconds())));
      sb.append(String.join(",", cells)).append('\n');
    }
    return sb.toString();
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", datasetName());
    m.put("scale", settings.scale());
    m.put("complete", outcome.complete());
    m.put("images_finished", outcome.results().size());
    m.put("images_total", outcome.total());
    m.put("failed", outcome.failed());
    m.put("conventions", conventions());
    m.put("settings", settings.fingerprint());
    m.put("averages", mean);
    m.put("versions", Provenance.versions());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ImageResult r : outcome.results()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("image", r.name());
      row.put("hr_size", r.hrSize());
      row.put("lr_size", r.lrSize());
      row.put("bicubic", r.bicubic());
      row.put("start", r.start());
      row.put("end", r.end());
      row.put("lr_psnr", Map.of("start", r.lrPsnrStart(), "end", r.lrPsnrEnd()));
      Map<String, Object> lrLpips = new LinkedHashMap<>();
      lrLpips.put("start", r.lrLpipsStart());
      lrLpips.put("end", r.lrLpipsEnd());
      row.put("lr_lpips", lrLpips);
      row.put("iterations", r.iterations());
      row.put("stop_reason", r.stopReason());
      row.put("seconds", r.seconds());
      rows.add(row);
    }
    m.put("images", rows);
    return m;
  }

  List<ImageResult> results() {
    return outcome.results();
  }

  EvalSettings settings() {
    return settings;
  }

  // ---- formatting ----

  static String db(Double v) {
    return fmt(v, 2);
  }

  static String ps(Double v) {
    return fmt(v, 4);
  }

  static String fmt(Double v, int digits) {
    if (v == null || v.isNaN()) {
      return DASH;
    }
    if (v.isInfinite()) {
      return v > 0 ? "inf" : "-inf";
    }
    return String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  private static String i(int v) {
    return Integer.toString(v);
  }

  /** CSV cell: full precision, empty when not measured. */
  static String num(Double v) {
    return v == null || v.isNaN() ? "" : Double.toString(v);
  }
}
