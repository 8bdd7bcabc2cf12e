package dev.srtune.eval;

import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.LrMetric;
import dev.srtune.tune.SessionSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation: which model on which images, with which fine-tuning options, into which folder.
 *
 * @param images HR file names to use (with or without extension), or empty for all images of the dataset
 * @param limit fine-tune at most this many not-yet-finished images in this invocation (null = all); lets a long
 *     run be done in pieces and lets tests interrupt a run
 * @param hrEvery measure HR-PSNR every this many iterations for the curves
 * @param datasetName name printed in the tables (the dataset folder's name by default)
 * @param baseline the method run on each image instead of fine-tuning {@code model} (ZSSR, DIP), or null for
 *     fine-tuning; {@code options} then only supply the operator A
 * @param perImage how each image's LR is made and its A chosen when that differs from image to image or from the
 *     options' operator (per-image or estimated blurs), or null: {@code options}' operator makes every LR and
 *     fine-tunes it
 * @param session the precision each image's model is loaded with and how its whole-image passes run
 */
public record EvalSettings(Path model, Path dataset, int scale, FineTuneOptions options, List<String> images,
    Integer limit, int hrEvery, String datasetName, Path out, dev.srtune.baseline.Baseline baseline,
    ImageOperators perImage, SessionSettings session) {

  /** In a {@link SessionSettings#DEFAULT} session. */
  public EvalSettings(Path model, Path dataset, int scale, FineTuneOptions options, List<String> images,
      Integer limit, int hrEvery, String datasetName, Path out, dev.srtune.baseline.Baseline baseline,
      ImageOperators perImage) {
    this(model, dataset, scale, options, images, limit, hrEvery, datasetName, out, baseline, perImage,
        SessionSettings.DEFAULT);
  }

  /** The same evaluation with each image's model loaded into a session with {@code settings}. */
  public EvalSettings withSession(SessionSettings settings) {
    return new EvalSettings(model, dataset, scale, options, images, limit, hrEvery, datasetName, out, baseline,
        perImage, settings);
  }

  /** One operator for all images. */
  public EvalSettings(Path model, Path dataset, int scale, FineTuneOptions options, List<String> images,
      Integer limit, int hrEvery, String datasetName, Path out, dev.srtune.baseline.Baseline baseline) {
    this(model, dataset, scale, options, images, limit, hrEvery, datasetName, out, baseline, null);
  }

  /** How each image's LR is made and its A chosen. */
  public ImageOperators operators() {
    return perImage != null ? perImage : ImageOperators.fixed(options);
  }

  /** Fine-tuning {@code model}. */
  public EvalSettings(Path model, Path dataset, int scale, FineTuneOptions options, List<String> images,
      Integer limit, int hrEvery, String datasetName, Path out) {
    this(model, dataset, scale, options, images, limit, hrEvery, datasetName, out, null);
  }

  /** {@code finetune}, or the baseline's name. */
  public String method() {
    return baseline == null ? "finetune" : baseline.name();
  }

  public EvalSettings {
    images = images == null ? List.of() : List.copyOf(images);
    session = session == null ? SessionSettings.DEFAULT : session;
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be positive");
    }
    if (hrEvery < 0) {
      throw new IllegalArgumentException("hrEvery must be >= 0");
    }
  }

  /**
   * What determines an image's result. A folder holding results made with a different fingerprint is refused:
   * mixing them would make the averages mean nothing. The image selection and limit are not part of it, nor is
   * the LPIPS backbone: LPIPS is measured on the stored 8-bit outputs and can be filled in later.
   */
  public Map<String, Object> fingerprint() {
    if (baseline != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", baseline.name());
      m.put("dataset", dataset.toAbsolutePath().normalize().toString());
      m.put("scale", scale);
      putOperators(m);
      m.put("settings", baseline.settings());
      m.put("hr_every", hrEvery);
      return m;
    }
    Map<String, Object> m = fingerprint(model, dataset, scale, options, session, hrEvery);
    putOperators(m);
    return m;
  }

  /**
   * The operator entries. With one operator for every image they are what they were before per-image operators
   * existed, so folders made then still resume.
   */
  private void putOperators(Map<String, Object> m) {
    m.put("operator", operators().tuneSpec());
    if (perImage != null) {
      m.put("lr_operator", perImage.lrSpec());
    }
  }

  /** The fingerprint of any batch of fine-tuning runs over a folder ({@code tune --input-dir} too). */
  public static Map<String, Object> fingerprint(Path model, Path dataset, int scale, FineTuneOptions options,
      SessionSettings session, int hrEvery) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model.toAbsolutePath().normalize().toString());
    m.put("dataset", dataset.toAbsolutePath().normalize().toString());
    m.put("scale", scale);
    m.put("operator", options.operator().spec());
    m.put("schedule", options.name());
    m.put("sampling", options.sampler().spec());
    m.put("measure_every", options.measureEvery());
    m.put("optimizer", options.optimizer().spec());
    m.put("learning_rate", options.learningRate());
    m.put("learning_rate_schedule", options.schedule().spec());
    m.put("precision", dev.srtune.model.SrModel.known(session.precision(), !options.sampler().wholeImage()).spec());
    m.put("max_iterations", options.maxIterations());
    m.put("stop_rule", options.stopRule().describe());
    m.put("time_budget_seconds", options.timeBudget() == null ? null : options.timeBudget().toMillis() / 1000.0);
    m.put("keep_best", options.keepBest());
    // Only where there is more than the paper's term (a TV of weight 0 adds nothing), so folders made before loss
    // terms were recorded resume.
    java.util.List<String> terms = options.lossTerms().stream()
        .filter(t -> !(t instanceof dev.srtune.tune.loss.TotalVariationTerm tv && tv.weight() == 0))
        .map(dev.srtune.tune.loss.LossTerm::spec).toList();
    if (!terms.equals(java.util.List.of(dev.srtune.tune.loss.DataFidelity.PLAIN.spec()))) {
      m.put("loss_terms", terms);
    }
    m.put("lr_metrics", options.extraMetrics().stream().map(LrMetric::name).toList());
    m.put("hr_every", hrEvery);
    return m;
  }
}
