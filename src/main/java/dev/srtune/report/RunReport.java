package dev.srtune.report;

import com.google.gson.GsonBuilder;
import dev.srtune.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.json} of a run: the DESIGN.md contract fields first ({@code iterations}, {@code stop_reason},
 * {@code seconds}, {@code seconds_per_iteration}, {@code lr_psnr}, {@code hr_psnr}), then provenance (method,
 * operator, hyper-parameters, versions) and the per-iteration curve. It takes plain values; what a fine-tuning run
 * or a baseline records in it is {@code dev.srtune.tune.RunReports}'.
 */
public final class RunReport {
  private final Map<String, Object> root = new LinkedHashMap<>();

  /** A report starting with the contract fields that are not start/end pairs. */
  public RunReport(int iterations, String stopReason, int returnedIteration, double seconds,
      double secondsPerIteration) {
    root.put("iterations", iterations);
    root.put("stop_reason", stopReason);
    root.put("returned_iteration", returnedIteration); // earlier than iterations with --keep-best
    root.put("seconds", round(seconds, 3));
    root.put("seconds_per_iteration", round(secondsPerIteration, 4));
  }

  /** What made the result: the method, the operator A, the method's settings and the versions. */
  public RunReport provenance(String method, String operatorSpec, int scale, Map<String, Object> hyperParameters) {
    root.put("method", method);
    root.put("operator", Map.of("spec", operatorSpec, "scale", scale));
    root.put("hyper_parameters", hyperParameters);
    root.put("psnr_convention", PSNR_CONVENTION);
    root.put("versions", Provenance.versions());
    return this;
  }

  private static final String PSNR_CONVENTION = "RGB in [0,1], all pixels and channels, no shave, outputs unclipped "
      + "for LR-PSNR; HR-PSNR on the 8-bit-rounded output";

  public RunReport put(String key, Object value) {
    root.put(key, value);
    return this;
  }

  /** {@code key} as {@code {"start", "end"}}, rounded as {@link #startEnd} does (the LR and HR metrics). */
  public RunReport putHr(String key, double start, double end) {
    root.put(key, startEnd(start, end));
    return this;
  }

  /**
   * One row of the curve: a measured iteration.
   *
   * @param metrics the LR metrics besides LR-PSNR, by name
   * @param hrPsnr HR-PSNR where it was measured, else null
   */
  public record CurveRow(int iteration, double loss, double lrPsnr, Map<String, Double> metrics, Double hrPsnr,
      double elapsedSeconds) {}

  /** The curve: one row per measured iteration. */
  public RunReport curve(List<CurveRow> curve) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (CurveRow rec : curve) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("iteration", rec.iteration());
      row.put("loss", rec.loss());
      row.put("lr_psnr", round(rec.lrPsnr(), 5));
      rec.metrics().forEach((k, v) -> row.put(k, v));
      if (rec.hrPsnr() != null) {
        row.put("hr_psnr", round(rec.hrPsnr(), 5));
      }
      row.put("elapsed_seconds", round(rec.elapsedSeconds(), 3));
      rows.add(row);
    }
    root.put("curve", rows);
    return this;
  }

  public Map<String, Object> asMap() {
    return root;
  }

  public void write(Path file) throws IOException {
    String json = new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues()
        .disableHtmlEscaping().create().toJson(root);
    ImageFiles.AtomicFiles.writeString(file, json + "\n");
  }

  public static Map<String, Object> startEnd(double start, double end) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", round(start, 5));
    m.put("end", round(end, 5));
    return m;
  }

  static Object round(double v, int digits) {
    if (!Double.isFinite(v)) {
      return v;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
