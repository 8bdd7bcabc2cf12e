package dev.srtune.report;

import com.google.gson.GsonBuilder;
import dev.srtune.image.ImageFiles;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.IterationRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.json} of a fine-tuning run: the DESIGN.md contract fields first ({@code iterations},
 * {@code stop_reason}, {@code seconds}, {@code seconds_per_iteration}, {@code lr_psnr}, {@code hr_psnr}), then
 * provenance (model, operator, hyper-parameters, versions) and the per-iteration curve.
 */
public final class RunReport {
  private final Map<String, Object> root = new LinkedHashMap<>();

  public RunReport(FineTuneResult r, FineTuneOptions o, dev.srtune.tune.SessionSettings session) {
    common(r);
    root.put("method", "finetune");
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("schedule", o.name());
    hp.put("sampling", o.sampler().spec());
    hp.put("optimizer", o.optimizer().spec());
    hp.put("learning_rate", o.learningRate());
    hp.put("learning_rate_schedule", o.schedule().spec());
    hp.put("momentum", Double.isNaN(o.momentum()) ? null : o.momentum());
    hp.put("measure_every", o.measureEvery());
    hp.put("precision", session.precision().spec());
    hp.put("whole_image_passes", session.passes().spec());
    hp.put("max_iterations", o.maxIterations());
    hp.put("stop_rule", o.stopRule().describe());
    hp.put("keep_best", o.keepBest());
    hp.put("time_budget_seconds", o.timeBudget() == null ? null : o.timeBudget().toSeconds());
    hp.put("loss", "mean squared error of A(f(y)) vs y over LR pixels and channels"
        + (o.sampler().lossMargin() > 0 ? ", " + o.sampler().lossMargin() + " pixels in from each window border" : ""));
    hp.put("loss_terms", o.lossTerms().stream().map(dev.srtune.tune.loss.LossTerm::describe).toList());
    root.put("operator", Map.of("spec", o.operator().spec(), "scale", o.operator().scale()));
    root.put("hyper_parameters", hp);
    root.put("psnr_convention", PSNR_CONVENTION);
    root.put("versions", Provenance.versions());
  }

  private static final String PSNR_CONVENTION = "RGB in [0,1], all pixels and channels, no shave, outputs unclipped "
      + "for LR-PSNR; HR-PSNR on the 8-bit-rounded output";

  /**
   * {@code report.json} of a baseline ({@code zssr}, {@code dip}): the same contract fields, then the method, the
   * operator and the method's settings as {@code hyper_parameters}.
   */
  public RunReport(FineTuneResult r, String method, dev.srtune.graph.degradation.Degradation operator,
      Map<String, Object> settings) {
    common(r);
    root.put("method", method);
    root.put("operator", Map.of("spec", operator.spec(), "scale", operator.scale()));
    root.put("hyper_parameters", settings);
    root.put("psnr_convention", PSNR_CONVENTION);
    root.put("versions", Provenance.versions());
  }

  private void common(FineTuneResult r) {
    root.put("iterations", r.iterations());
    root.put("stop_reason", r.stopReason());
    root.put("returned_iteration", r.finalRecord().iteration()); // earlier than iterations with --keep-best
    root.put("seconds", round(r.seconds(), 3));
    root.put("seconds_per_iteration", round(r.secondsPerIteration(), 4));
    root.put("lr_psnr", startEnd(r.startRecord().lrPsnr(), r.finalRecord().lrPsnr()));
    for (String m : r.finalRecord().metrics().keySet()) {
      root.put(m, startEnd(r.startRecord().metric(m), r.finalRecord().metric(m)));
    }
  }

  public RunReport put(String key, Object value) {
    root.put(key, value);
    return this;
  }

  public RunReport putHr(String key, double start, double end) {
    root.put(key, startEnd(start, end));
    return this;
  }

  /** The curve: one row per measured iteration; {@code hr} maps iteration → HR-PSNR where it was measured. */
  public RunReport curve(List<IterationRecord> curve, Map<Integer, Double> hr) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (IterationRecord rec : curve) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("iteration", rec.iteration());
      row.put("loss", rec.loss());
      row.put("lr_psnr", round(rec.lrPsnr(), 5));
      rec.metrics().forEach((k, v) -> row.put(k, v));
      Double h = hr.get(rec.iteration());
      if (h != null) {
        row.put("hr_psnr", round(h, 5));
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
