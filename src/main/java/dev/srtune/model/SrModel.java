package dev.srtune.model;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.UserInputException;
import dev.srtune.graph.savedmodel.SrSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.SavedModelBundle;

/**
 * A loaded SR SavedModel and what its {@code srtune.json} says about it. Closing it closes the bundle.
 */
public final class SrModel implements AutoCloseable {
  private final Path dir;
  private final SavedModelBundle bundle;
  private final JsonObject metadata;

  private SrModel(Path dir, SavedModelBundle bundle, JsonObject metadata) {
    this.dir = dir;
    this.bundle = bundle;
    this.metadata = metadata;
  }

  /** Loads {@code dir}; a missing or broken model is a {@link UserInputException} that says what to do. */
  public static SrModel load(Path dir) {
    return load(dir, Precision.FP32);
  }

  /** As {@link #load(Path)}, with the session running in {@code precision} (see {@link SessionConfig}). */
  public static SrModel load(Path dir, Precision precision) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new UserInputException("No SavedModel at " + dir + " (saved_model.pb missing); build one with "
          + "'srtune build enhancenet --checkpoint FILE --scale S --out DIR'.");
    }
    JsonObject meta = new JsonObject();
    Path metaFile = dir.resolve(SrSignature.METADATA_FILE);
    if (Files.isRegularFile(metaFile)) {
      try {
        meta = JsonParser.parseString(Files.readString(metaFile)).getAsJsonObject();
      } catch (IOException | RuntimeException e) {
        throw new UserInputException(metaFile + " is not valid JSON (" + e.getMessage() + "); rebuild the model.");
      }
    }
    if (precision == Precision.BF16 && !Bf16Check.passes()) {
      throw new UserInputException(String.format(java.util.Locale.ROOT, "bf16 convolutions compute wrong results on "
          + "this CPU (a 3-channel test convolution is off by %.2g in bf16), so use --precision fp32.",
          Bf16Check.maxError()));
    }
    SavedModelBundle b;
    try {
      b = SavedModelBundle.loader(dir.toString()).withTags(SrSignature.TAG)
          .withConfigProto(SessionConfig.get(precision)).load();
    } catch (RuntimeException e) {
      throw new UserInputException("Could not load the SavedModel at " + dir + " (" + firstLine(e) + "); rebuild it.");
    }
    return new SrModel(dir, b, meta);
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  public SavedModelBundle bundle() {
    return bundle;
  }

  public Path dir() {
    return dir;
  }

  /** The scale the model super-resolves by, from its metadata, or 0 if it does not say. */
  public int scale() {
    return metadata.has("scale") ? metadata.get("scale").getAsInt() : 0;
  }

  public String name() {
    return metadata.has("name") ? metadata.get("name").getAsString() : dir.getFileName().toString();
  }

  public Map<String, Object> metadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    metadata.entrySet().forEach(e -> m.put(e.getKey(), e.getValue().isJsonPrimitive()
        ? (e.getValue().getAsJsonPrimitive().isNumber() ? e.getValue().getAsNumber() : e.getValue().getAsString())
        : e.getValue().toString()));
    return m;
  }

  /** Refuses a scale the model was not built for, in a sentence that says how to get the right model. */
  public void requireScale(int scale) {
    int s = scale();
    if (s != 0 && s != scale) {
      throw new UserInputException("The model at " + dir + " super-resolves by " + s + " but --scale " + scale
          + " was given; build the model for scale " + scale + " (e.g. 'srtune build enhancenet --scale " + scale
          + " ...') or pass --scale " + s + ".");
    }
  }

  @Override
  public void close() {
    bundle.close();
  }
}
