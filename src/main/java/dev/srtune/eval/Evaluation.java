package dev.srtune.eval;

import java.io.IOException;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code srtune eval} as a library: evaluates every image of the dataset that has no stored result yet (at most
 * {@link EvalSettings#limit()} of them), then rebuilds the tables, pictures and {@code index.html} from all stored
 * per-image results. Because results are only read back from disk, a resumed run gives exactly the tables an
 * uninterrupted one would.
 */
public final class Evaluation {
  private static final Logger LOG = LogManager.getLogger(Evaluation.class);
  private final EvalSettings settings;
  private final PerceptualDistance lpips;

  /** @param lpips the perceptual distance for the PS columns, or null to leave them empty */
  public Evaluation(EvalSettings settings, PerceptualDistance lpips) {
    this.settings = settings;
    this.lpips = lpips;
  }

  /** What a run found: the results in dataset order and how many images are still missing. */
  public record Outcome(List<ImageResult> results, int total, int computed) {
    public boolean complete() {
      return results.size() == total;
    }
  }

  /**
   * Fills in LPIPS for an image finished without it, from the stored 8-bit outputs (which is exactly what the
   * evaluation measures), so a run can gain its PS columns without fine-tuning again.
   */
  private ImageResult addLpips(ResultStore store, ImageResult r, Dataset.Entry image) throws IOException {
    Path dir = store.imageDir(r.name());
    RgbImage hr = ImageFiles.read(image.file()).modcrop(settings.scale());
    Double end = lpips.between(ImageFiles.read(dir.resolve("sr.png")), hr);
    if (end == null) {
      return r; // too small for the metric: stays empty, and the stored result is left untouched
    }
    ImageResult filled = new ImageResult(r.name(), r.hrSize(), r.lrSize(),
        r.bicubic().withLpips(lpips.between(ImageFiles.read(dir.resolve("bicubic.png")), hr)),
        r.start().withLpips(lpips.between(ImageFiles.read(dir.resolve("sr_start.png")), hr)),
        r.end().withLpips(end),
        r.lrPsnrStart(), r.lrPsnrEnd(), r.lrLpipsStart(), r.lrLpipsEnd(), r.iterations(), r.stopReason(), r.seconds(),
        r.curve());
    store.write(filled);
    LOG.info("{}: LPIPS ({}) added to the stored result", r.name(), lpips.describe());
    return filled;
  }

  public Outcome run(EvalListener listener) throws IOException {
    ResultStore store = new ResultStore(settings.out());
    List<Dataset.Entry> images = Dataset.list(settings.dataset(), settings.images());
    store.claim(settings.fingerprint());
    ImageEvaluation evaluation = new ImageEvaluation(settings, store, lpips);
    List<ImageResult> results = new ArrayList<>();
    int computed = 0;
    for (int i = 0; i < images.size(); i++) {
      Dataset.Entry image = images.get(i);
      var stored = store.read(image.name());
      if (stored.isPresent()) {
        ImageResult r = lpips != null && stored.get().end().lpips() == null ? addLpips(store, stored.get(), image)
            : stored.get();
        results.add(r);
        listener.onImage(r, i, images.size(), true);
        continue;
      }
      if (settings.limit() != null && computed >= settings.limit()) {
        continue;
      }
      ImageResult r = evaluation.evaluate(image, listener.iterations(image.name(), i, images.size()));
      computed++;
      results.add(r);
      listener.onImage(r, i, images.size(), false);
    }
    Outcome outcome = new Outcome(List.copyOf(results), images.size(), computed);
    EvalReport report = new EvalReport(settings, lpips == null ? null : lpips.describe(), outcome);
    report.writeTables();
    Map<String, Path> hrFiles = new HashMap<>();
    images.forEach(e -> hrFiles.put(e.name(), e.file()));
    new EvalPictures(store, settings.scale()).writeAll(outcome.results(), hrFiles);
    report.writeIndex();
    LOG.debug("{} of {} images finished, {} computed now", results.size(), images.size(), computed);
    return outcome;
  }
}
