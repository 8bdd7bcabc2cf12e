package dev.srtune.eval;

import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.srtune.image.ImageFile;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.ImagePolicies;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.SessionSettings;
import dev.srtune.tune.TuneJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code srtune tune --input-dir DIR --out DIR}: the one-image {@link TuneJob} on every LR PNG or JPEG of a folder
 * (with the same per-file adaptation, {@link ImagePolicies}, as one image), each into
 * {@code OUT/<name>/} ({@code sr.png}, {@code sr_start.png}, {@code report.json} written last and atomically), then
 * {@code results.csv} and {@code results.json} rebuilt from the {@code report.json} files. Like an evaluation it is
 * resumable and idempotent: an image with a {@code report.json} is finished and skipped, a failing image gets an
 * {@code error.json} and the others go on, and {@code run.json} refuses a folder made with other settings.
 */
public record FolderTune(Path model, Path inputDir, int scale, FineTuneOptions options, SessionSettings session,
    ImagePolicies policies, Path out) {
  private static final Logger LOG = LogManager.getLogger(FolderTune.class);

  /** What the folder's output holds besides one subfolder per image. */
  public static final String[] FILES = {"results.csv", "results.json", "run.json"};

  /** results.csv's columns, one row per finished image in name order. */
  public static final List<String> CSV_COLUMNS = List.of("image", "lr_height", "lr_width", "iterations",
      "stop_reason", "lr_psnr_start", "lr_psnr_end", "seconds");

  /** The finished images' reports (name → report.json) and the failed ones, in name order. */
  public record Outcome(Map<String, Map<String, Object>> reports, List<ImageFailure> failed, int total) {
    public boolean complete() {
      return reports.size() == total;
    }
  }

  public Path imageDir(String name) {
    return out.resolve(name);
  }

  private Path reportFile(String name) {
    return imageDir(name).resolve("report.json");
  }

  private List<Dataset.Entry> images() throws IOException {
    return Dataset.list(inputDir, List.of(), "Input folder", "LR");
  }

  /** Claims the output folder for these settings; returns the images without a report.json, in name order. */
  public List<Dataset.Entry> prepare() throws IOException {
    List<Dataset.Entry> images = images();
    Map<String, Object> fingerprint = EvalSettings.fingerprint(model, inputDir, scale, options, session, 0);
    // Only when not the defaults, so that folders made before the policies existed still resume.
    Map<String, Object> adapted = policies.nonDefault();
    if (!adapted.isEmpty()) {
      fingerprint.put("image_policies", adapted);
    }
    new ResultStore(out).claim(fingerprint);
    return images.stream().filter(e -> !Files.isRegularFile(reportFile(e.name()))).toList();
  }

  /**
   * Fine-tunes one image unless it is finished; a failure is recorded in its {@code error.json}, not thrown.
   * Returns a one-line summary, or empty when the image failed.
   */
  public Optional<String> tuneOne(Dataset.Entry image, IterationListener listener) throws IOException {
    Path dir = imageDir(image.name());
    if (Files.isRegularFile(reportFile(image.name()))) {
      return Optional.of("already finished");
    }
    try {
      ImageFile lr = ImageFiles.readFile(image.file());
      ImagePolicies.Decided decided = policies.decide(options, lr);
      TuneJob.Outcome o = new TuneJob(model, image.file(), lr.image(), null, scale, decided.options(), dir, null, 0,
          listener).withSession(session).execute(decided::addTo);
      Files.deleteIfExists(ResultStore.failureFile(dir));
      return Optional.of(String.format(Locale.ROOT, "LR-PSNR %.3f -> %.3f dB, %d iterations (%s)",
          o.result().startRecord().lrPsnr(), o.result().finalRecord().lrPsnr(), o.result().iterations(),
          o.result().stopReason()));
    } catch (Exception e) {
      ImageFailure f = ImageFailure.of(image.name(), e);
      LOG.debug("{} failed", image.name(), e);
      LOG.warn("{}: {} (recorded in {}; the other images go on)", image.name(), f.message(),
          ResultStore.failureFile(dir));
      Files.createDirectories(dir);
      ResultStore.writeFailure(dir, f);
      return Optional.empty();
    }
  }

  /** The local engine: every unfinished image in turn, then the tables. */
  public Outcome run(java.util.function.Function<String, IterationListener> listeners) throws IOException {
    for (Dataset.Entry image : prepare()) {
      tuneOne(image, listeners.apply(image.name()));
    }
    return finish();
  }

  /** Rebuilds results.csv and results.json from the report.json files (whoever wrote them). */
  public Outcome finish() throws IOException {
    Map<String, Map<String, Object>> reports = new LinkedHashMap<>();
    List<ImageFailure> failed = new ArrayList<>();
    List<Dataset.Entry> images = images();
    for (Dataset.Entry image : images) {
      Path f = reportFile(image.name());
      if (Files.isRegularFile(f)) {
        try {
          reports.put(image.name(), ResultStore.GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8),
              new TypeToken<Map<String, Object>>() {}.getType()));
        } catch (JsonParseException e) {
          throw new dev.srtune.UserInputException(f + " is not a report srtune wrote (" + e.getMessage()
              + "); delete it to fine-tune that image again.");
        }
      } else {
        ResultStore.readFailure(imageDir(image.name())).ifPresent(failed::add);
      }
    }
    Outcome o = new Outcome(reports, failed, images.size());
    ImageFiles.AtomicFiles.writeString(out.resolve("results.csv"), csv(o));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("input_dir", inputDir.toAbsolutePath().normalize().toString());
    json.put("images_total", o.total());
    json.put("images_finished", reports.size());
    json.put("complete", o.complete());
    json.put("failed", failed);
    json.put("images", reports);
    ImageFiles.AtomicFiles.writeString(out.resolve("results.json"), ResultStore.GSON.toJson(json) + "\n");
    return o;
  }

  @SuppressWarnings("unchecked")
  static String csv(Outcome o) {
    StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
    o.reports().forEach((name, r) -> {
      List<?> size = (List<?>) r.get("lr_size");
      Map<String, Object> lr = (Map<String, Object>) r.get("lr_psnr");
      sb.append(String.join(",", name, num(size.get(0)), num(size.get(1)), num(r.get("iterations")),
          String.valueOf(r.get("stop_reason")), num(lr.get("start")), num(lr.get("end")), num(r.get("seconds"))))
          .append('\n');
    });
    return sb.toString();
  }

  private static String num(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
    return v == null ? "" : v.toString();
  }
}
