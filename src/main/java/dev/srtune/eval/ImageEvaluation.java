package dev.srtune.eval;

import dev.srtune.baseline.BaselineJob;
import dev.srtune.degrade.LrSynthesis;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.TuneJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one HR image: makes its LR as {@code srtune degrade} writes it, the bicubic baseline, runs a
 * {@link TuneJob} (or, for a baseline method, a {@link BaselineJob}; both write {@code sr_start.png}, {@code sr.png}, {@code report.json}), measures the three
 * images against the HR image and stores {@code result.json} last.
 */
final class ImageEvaluation {
  private final EvalSettings settings;
  private final ResultStore store;
  private final PerceptualDistance lpips;

  ImageEvaluation(EvalSettings settings, ResultStore store, PerceptualDistance lpips) {
    this.settings = settings;
    this.store = store;
    this.lpips = lpips;
  }

  ImageResult evaluate(Dataset.Entry image, IterationListener listener) throws IOException {
    int s = settings.scale();
    RgbImage original = ImageFiles.read(image.file());
    ImageOperators operators = settings.operators();
    ImageOperators.Image which = new ImageOperators.Image(image.name(), position(image));
    RgbImage lr = LrSynthesis.asDegradeWrites(original, operators.lrOperator(which));
    RgbImage hr = original.modcrop(s);
    Path dir = store.imageDir(image.name());
    Path lrFile = dir.resolve("lr.png");
    ImageFiles.writePng(lr, lrFile);
    RgbImage bicubic = LrSynthesis.bicubicUpscale8bit(lr, s);
    ImageFiles.writePng(bicubic, dir.resolve("bicubic.png"));

    ImageOperators.Tuning tuning = operators.tuning(which, lr, hr, dir);
    FineTuneOptions options = tuning.options();
    TuneJob.Outcome o = settings.baseline() != null
        ? new BaselineJob(settings.baseline(), lrFile, lr, hr, options.operator(), dir, settings.hrEvery(),
            listener).execute()
        : new TuneJob(settings.model(), lrFile, lr, hr, s, options, dir, null, settings.hrEvery(), listener)
            .withSession(settings.session()).execute();
    if (tuning.blurEstimate() != null) {
      o.report().put("blur_estimate", tuning.blurEstimate());
      o.report().write(dir.resolve("report.json"));
    }
    FineTuneResult r = o.result();
    Quality bic = Quality.measure(hr, bicubic, s, distance(bicubic, hr));
    Quality start = Quality.measure(hr, r.start(), s, distance(r.start().quantized8(), hr));
    Quality end = Quality.measure(hr, r.result(), s, distance(r.result().quantized8(), hr));
    Double lrLpipsStart = r.startRecord().metrics().get("lr_lpips");
    Double lrLpipsEnd = r.finalRecord().metrics().get("lr_lpips");
    ImageResult result = new ImageResult(image.name(), new int[] {hr.height(), hr.width()},
        new int[] {lr.height(), lr.width()}, bic, start, end, r.startRecord().lrPsnr(), r.finalRecord().lrPsnr(),
        lrLpipsStart, lrLpipsEnd, r.iterations(), r.stopReason(), r.seconds(), curve(o));
    store.write(result);
    return result;
  }

  /** The image's 1-based position among all images of the dataset (name order), whatever --images selects. */
  private int position(Dataset.Entry image) throws IOException {
    List<Dataset.Entry> all = Dataset.list(settings.dataset(), List.of());
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).name().equals(image.name())) {
        return i + 1;
      }
    }
    throw new IllegalStateException(image.name() + " is not in " + settings.dataset());
  }

  private Double distance(RgbImage sr, RgbImage hr) {
    return lpips == null ? null : lpips.between(sr, hr);
  }

  /** LR-PSNR of every iteration and HR-PSNR where TuneJob measured it, plus the returned weights' point. */
  @SuppressWarnings("unchecked")
  private static List<CurvePoint> curve(TuneJob.Outcome o) {
    List<CurvePoint> points = new ArrayList<>();
    Object rows = o.report().asMap().get("curve");
    if (rows instanceof List<?> list) {
      for (Object row : list) {
        Map<String, Object> m = (Map<String, Object>) row;
        Object h = m.get("hr_psnr");
        points.add(new CurvePoint(((Number) m.get("iteration")).intValue(), ((Number) m.get("lr_psnr")).doubleValue(),
            h == null ? null : ((Number) h).doubleValue()));
      }
    }
    FineTuneResult r = o.result();
    if (r.iterations() > 0) {
      points.add(new CurvePoint(r.iterations(), r.finalRecord().lrPsnr(), o.hrPsnrEnd()));
    }
    return points;
  }
}
