package dev.srtune.eval;

import java.io.IOException;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.nio.file.Files;
import dev.srtune.tune.IterationListener;
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

  /**
   * What a run found: the results in dataset order, how many images the dataset has, how many were fine-tuned now,
   * and the images whose last attempt failed (recorded, not finished; a rerun tries them again).
   */
  public record Outcome(List<ImageResult> results, int total, int computed, List<ImageFailure> failed) {
    public Outcome {
      results = List.copyOf(results);
      failed = List.copyOf(failed);
    }

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

  /**
   * Claims the output folder for these settings and lists the images still to fine-tune (not finished; at most
   * {@link EvalSettings#limit()} of them), in dataset order. An engine then runs {@link #evaluateOne} on each, in
   * any order and anywhere the folder is shared, and {@link #finish} rebuilds the tables.
   */
  public List<Dataset.Entry> prepare() throws IOException {
    ResultStore store = new ResultStore(settings.out());
    List<Dataset.Entry> images = Dataset.list(settings.dataset(), settings.images());
    store.claim(settings.fingerprint());
    List<Dataset.Entry> pending = new ArrayList<>();
    for (Dataset.Entry image : images) {
      if (store.read(image.name()).isEmpty()
          && (settings.limit() == null || pending.size() < settings.limit())) {
        pending.add(image);
      }
    }
    return pending;
  }

  /**
   * Fine-tunes one image and stores its {@code result.json}, or, when the image cannot be evaluated (a corrupt
   * file, an image too small for the model, a failure inside the run), records why in its {@code error.json} and
   * returns empty: one bad image does not stop the others. An image already finished is read back, not redone,
   * so a task that runs twice (a retry, a speculative copy) writes the same files and one result.
   */
  public Optional<ImageResult> evaluateOne(Dataset.Entry image, IterationListener listener) throws IOException {
    ResultStore store = new ResultStore(settings.out());
    Optional<ImageResult> done = store.read(image.name());
    if (done.isPresent()) {
      return done;
    }
    try {
      return Optional.of(new ImageEvaluation(settings, store, lpips).evaluate(image, listener));
    } catch (Exception e) {
      ImageFailure f = ImageFailure.of(image.name(), e);
      LOG.debug("{} failed", image.name(), e);
      LOG.warn("{}: {} (recorded in {}; the other images go on)", image.name(), f.message(),
          ResultStore.failureFile(store.imageDir(image.name())));
      Files.createDirectories(store.imageDir(image.name()));
      ResultStore.writeFailure(store.imageDir(image.name()), f);
      return Optional.empty();
    }
  }

  /** The local engine: the images one after the other in this JVM, then the tables. */
  public Outcome run(EvalListener listener) throws IOException {
    List<Dataset.Entry> pending = prepare();
    List<Dataset.Entry> images = Dataset.list(settings.dataset(), settings.images());
    int computed = 0;
    for (int i = 0; i < images.size(); i++) {
      Dataset.Entry image = images.get(i);
      if (!pending.contains(image)) {
        continue;
      }
      Optional<ImageResult> r = evaluateOne(image, listener.iterations(image.name(), i, images.size()));
      if (r.isPresent()) {
        computed++;
        listener.onImage(r.get(), i, images.size(), false);
      } else {
        listener.onFailure(ResultStore.readFailure(new ResultStore(settings.out()).imageDir(image.name()))
            .orElseThrow(), i, images.size());
      }
    }
    return finish(listener, computed, pending);
  }

  /**
   * Rebuilds the tables, pictures and {@code index.html} from what is stored (whoever wrote it), telling the
   * listener about the images finished before this run; {@code computedNow} is what this run fine-tuned, and
   * {@code attempted} what it tried (their results are not reported again).
   */
  public Outcome finish(EvalListener listener, int computedNow, List<Dataset.Entry> attempted) throws IOException {
    ResultStore store = new ResultStore(settings.out());
    List<Dataset.Entry> images = Dataset.list(settings.dataset(), settings.images());
    List<ImageResult> results = new ArrayList<>();
    List<ImageFailure> failed = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      Dataset.Entry image = images.get(i);
      var stored = store.read(image.name());
      if (stored.isPresent()) {
        ImageResult r = lpips != null && stored.get().end().lpips() == null ? addLpips(store, stored.get(), image)
            : stored.get();
        results.add(r);
        if (!attempted.contains(image)) {
          listener.onImage(r, i, images.size(), true);
        }
      } else {
        ResultStore.readFailure(store.imageDir(image.name())).ifPresent(failed::add);
      }
    }
    Outcome outcome = new Outcome(results, images.size(), computedNow, failed);
    EvalReport report = new EvalReport(settings, lpips == null ? null : lpips.describe(), outcome);
    report.writeTables();
    Map<String, Path> hrFiles = new HashMap<>();
    images.forEach(e -> hrFiles.put(e.name(), e.file()));
    new EvalPictures(store, settings.scale()).writeAll(outcome.results(), hrFiles);
    report.writeIndex();
    LOG.debug("{} of {} images finished, {} computed now, {} failed", results.size(), images.size(), computedNow,
        failed.size());
    return outcome;
  }
}
