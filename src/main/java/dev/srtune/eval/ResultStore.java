package dev.srtune.eval;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import dev.srtune.UserInputException;
import dev.srtune.image.ImageFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluation's output folder: {@code run.json} (the settings' fingerprint) and {@code images/<name>/} with the
 * LR, bicubic, before and after images, TuneJob's {@code report.json} and, written last and atomically,
 * {@code result.json}. An image is finished exactly when its {@code result.json} exists; an image whose evaluation
 * failed holds {@code error.json} instead (see {@link ImageFailure}), which its next successful run removes.
 */
public final class ResultStore {
  static final Gson GSON = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).setPrettyPrinting().serializeNulls()
      .serializeSpecialFloatingPointValues().disableHtmlEscaping().create();
  private final Path root;

  public ResultStore(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path imageDir(String name) {
    return root.resolve("images").resolve(name);
  }

  public Path resultFile(String name) {
    return imageDir(name).resolve("result.json");
  }

  public Optional<ImageResult> read(String name) throws IOException {
    Path f = resultFile(name);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), ImageResult.class));
    } catch (JsonParseException e) {
      throw new UserInputException(f + " is not a result srtune wrote (" + e.getMessage() + "); delete it to "
          + "recompute that image.");
    }
  }

  public void write(ImageResult r) throws IOException {
    ImageFiles.AtomicFiles.writeString(resultFile(r.name()), GSON.toJson(r) + "\n");
    Files.deleteIfExists(failureFile(imageDir(r.name())));
  }

  /** The file recording why the image in {@code dir} failed. */
  public static Path failureFile(Path dir) {
    return dir.resolve("error.json");
  }

  /** Records why an image failed (atomically, replacing an earlier failure). */
  public static void writeFailure(Path dir, ImageFailure f) throws IOException {
    ImageFiles.AtomicFiles.writeString(failureFile(dir), GSON.toJson(f) + "\n");
  }

  /** The failure recorded in {@code dir}, if any (an unreadable record counts as none: the image is tried again). */
  public static Optional<ImageFailure> readFailure(Path dir) throws IOException {
    Path f = failureFile(dir);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), ImageFailure.class));
    } catch (JsonParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Records the settings on the first run and refuses to resume into a folder made with other settings.
   */
  public void claim(Map<String, Object> fingerprint) throws IOException {
    Path f = root.resolve("run.json");
    String json = GSON.toJson(fingerprint);
    if (Files.isRegularFile(f)) {
      Map<String, Object> before = GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8),
          new TypeToken<Map<String, Object>>() {}.getType());
      Map<String, Object> now = GSON.fromJson(json, new TypeToken<Map<String, Object>>() {}.getType());
      if (!now.equals(before)) {
        throw new UserInputException("The output folder " + root + " holds results made with other settings ("
            + difference(before, now) + "); use another --out, or delete it to start over.");
      }
      return;
    }
    ImageFiles.AtomicFiles.writeString(f, json + "\n");
  }

  private static String difference(Map<String, Object> before, Map<String, Object> now) {
    StringBuilder sb = new StringBuilder();
    for (String k : now.keySet()) {
      Object a = before.get(k);
      Object b = now.get(k);
      if (a == null ? b != null : !a.equals(b)) {
        sb.append(sb.length() == 0 ? "" : ", ").append(k).append(": ").append(a).append(" -> ").append(b);
      }
    }
    return sb.length() == 0 ? "different keys" : sb.toString();
  }
}
