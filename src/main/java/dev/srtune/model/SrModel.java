package dev.srtune.model;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.UserInputException;
import dev.srtune.graph.safety.OpAllowlist;
import dev.srtune.graph.savedmodel.SrSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;

/**
 * A loaded SR SavedModel and what its {@code srtune.json} says about it. Closing it closes the bundle.
 */
public final class SrModel implements AutoCloseable {
  private final Path dir;
  private final SavedModelBundle bundle;
  private final JsonObject metadata;
  private final Precision precision;
  /** Why {@link Precision#AUTO} chose {@link #precision}, or null when it was asked for. */
  private final String precisionChoice;

  private SrModel(Path dir, SavedModelBundle bundle, JsonObject metadata, Precision precision, String choice) {
    this.dir = dir;
    this.bundle = bundle;
    this.metadata = metadata;
    this.precision = precision;
    this.precisionChoice = choice;
  }

  /** The arithmetic the session runs in: fp32 or bf16, never auto. */
  public Precision precision() {
    return precision;
  }

  /** Why {@code --precision auto} chose {@link #precision()}; empty when a precision was asked for. */
  public java.util.Optional<String> precisionChoice() {
    return java.util.Optional.ofNullable(precisionChoice);
  }

  /**
   * Why {@link Precision#AUTO} runs fp32, and why fine-tuning refuses {@link Precision#BF16}: TensorFlow's bf16
   * rewrite is session-wide, so it also converts the operator A, the loss and the whole-image passes, which nobody
   * measured (on an AMD EPYC with avx512_bf16 it hung oneDNN's JIT on a 15x15 blur's depthwise convolution and moved
   * images by 2-5 levels). bf16 comes back once it is kept to the network's training step (DESIGN "Precision").
   */
  static final String BF16_NOT_CONFINED = "bf16 is not yet kept to the network's training step (TensorFlow's "
      + "session-wide rewrite also reaches the operator A and the whole-image passes)";

  /**
   * Loads a model to fine-tune. {@link Precision#AUTO} loads fp32 and says why ({@link #BF16_NOT_CONFINED});
   * {@link Precision#BF16} is refused in one sentence for the same reason (tune, eval, demo and bench alike). {@code cropSteps} is kept for callers that
   * say how the steps sample: a confined bf16 would pay on crop steps only (docs/speed.md).
   */
  public static SrModel load(Path dir, Precision precision, boolean cropSteps) {
    if (precision == Precision.BF16) {
      throw new UserInputException("--precision bf16 is off: " + BF16_NOT_CONFINED
          + "; use --precision fp32 (or auto).");
    }
    SrModel m = load(dir, Precision.FP32);
    return precision == Precision.AUTO
        ? new SrModel(m.dir, m.bundle, m.metadata, Precision.FP32, "fp32: " + BF16_NOT_CONFINED) : m;
  }

  /**
   * The precision a fine-tuning run in {@code precision} runs in where that is known before loading a model: fp32
   * for auto. For fingerprints, so that folders made with fp32 or auto resume alike.
   */
  public static Precision known(Precision precision, boolean cropSteps) {
    return precision == Precision.AUTO ? Precision.FP32 : precision;
  }

  /** Loads {@code dir}; a missing or broken model is a {@link UserInputException} that says what to do. */
  public static SrModel load(Path dir) {
    return load(dir, Precision.FP32);
  }

  /** As {@link #load(Path)}, with the session running in {@code precision} (see {@link SessionConfig}). */
  public static SrModel load(Path dir, Precision precision) {
    if (precision == Precision.AUTO) {
      throw new IllegalArgumentException("auto precision needs to know whether steps are on crops");
    }
    return loadAs(dir, precision);
  }

  /** Refuses, in one sentence that says how to make one, a folder that holds no SavedModel. */
  public static void requireSavedModel(Path dir) {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new UserInputException("No SavedModel at " + dir + " (saved_model.pb missing); build one with "
          + "'srtune build enhancenet --checkpoint FILE --scale S --out DIR'.");
    }
  }

  /** Loads in {@code precision} (fp32 or bf16), refusing a bf16 that cannot run as bf16 here or is wrong. */
  private static SrModel loadAs(Path dir, Precision precision) {
    requireSavedModel(dir);
    JsonObject meta = new JsonObject();
    Path metaFile = dir.resolve(SrSignature.METADATA_FILE);
    if (Files.isRegularFile(metaFile)) {
      try {
        meta = JsonParser.parseString(Files.readString(metaFile)).getAsJsonObject();
      } catch (IOException | RuntimeException e) {
        throw new UserInputException(metaFile + " is not valid JSON (" + e.getMessage() + "); rebuild the model.");
      }
    }
    requireTensorMath(dir);
    SavedModelBundle b;
    try {
      b = SavedModelBundle.loader(dir.toString()).withTags(SrSignature.TAG)
          .withConfigProto(SessionConfig.get(precision)).load();
    } catch (RuntimeException e) {
      throw new UserInputException("Could not load the SavedModel at " + dir + " (" + firstLine(e) + "); rebuild it.");
    }
    if (precision == Precision.BF16) {
      String none = noBf16Reason();
      if (none != null) {
        b.close();
        throw new UserInputException(none + ", so --precision bf16 would not be faster here; use --precision fp32.");
      }
      Bf16Check.Verdict wrong = wrongBf16(b);
      if (wrong != null) {
        b.close();
        throw new UserInputException(String.format(java.util.Locale.ROOT, "bf16 convolutions compute wrong results "
            + "on this CPU (a %d-channel test convolution is off by %.2g, %.0f times bf16's rounding bound), so use "
            + "--precision fp32.", wrong.channels(), wrong.maxError(), wrong.ratio()));
      }
    }
    List<String> missing = uninitializedVariables(b);
    if (!missing.isEmpty()) {
      b.close();
      throw new UserInputException("The SavedModel at " + dir + " has no saved values for " + missing.size()
          + " variable(s) (" + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
          + (missing.size() > 3 ? ", ..." : "") + "): its variables/ files are missing or from another model, so "
          + "rebuild it.");
    }
    return new SrModel(dir, b, meta, precision, null);
  }

  /**
   * Refuses, before TensorFlow's loader runs anything of it (its restore and init ops), a SavedModel whose graph
   * would run more than tensor math ({@link OpAllowlist}): a model file is untrusted input. A saved_model.pb that
   * cannot be read is left to the loader, which says what is wrong with it.
   */
  private static void requireTensorMath(Path dir) {
    org.tensorflow.proto.SavedModel saved;
    try {
      saved = org.tensorflow.proto.SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb")));
    } catch (IOException e) {
      return;
    }
    for (org.tensorflow.proto.MetaGraphDef m : saved.getMetaGraphsList()) {
      if (m.getMetaInfoDef().getTagsList().contains(SrSignature.TAG)) {
        OpAllowlist.Refused refused = OpAllowlist.checkMetaGraph(m);
        if (refused != null) {
          throw new UserInputException(refused.sentence("The SavedModel at " + dir) + ".");
        }
      }
    }
  }

  /**
   * The first wrong bf16 convolution {@link Bf16Check} measures for one of the network's own input-channel counts
   * (the defaults where its filters have no static shape), or null.
   */
  private static Bf16Check.Verdict wrongBf16(SavedModelBundle b) {
    List<Integer> channels = Bf16Check.convInputChannels(b.graph());
    return Bf16Check.firstWrong(channels.isEmpty() ? Bf16Check.DEFAULT_CHANNELS : channels);
  }

  /**
   * Why bf16 cannot run as bf16 here, or null: a Linux CPU whose /proc/cpuinfo lists neither avx512_bf16 nor an
   * amx flag (oneDNN would emulate it in fp32), or oneDNN turned off (the bf16 rewrite is oneDNN's).
   */
  static String noBf16Reason() {
    if ("0".equals(System.getenv(KernelReport.ONEDNN_ENV))) {
      return "bf16 mixed precision is a oneDNN rewrite and " + KernelReport.ONEDNN_ENV + " is 0";
    }
    java.nio.file.Path cpuinfo = java.nio.file.Path.of("/proc/cpuinfo");
    if (!java.nio.file.Files.isReadable(cpuinfo)) {
      return null; // not Linux: the measured check decides
    }
    List<String> flags = KernelReport.onednnCpuFlags(cpuinfo);
    if (flags.contains("avx512_bf16") || flags.stream().anyMatch(f -> f.startsWith("amx"))) {
      return null;
    }
    return "This CPU has no bf16 arithmetic (/proc/cpuinfo lists neither avx512_bf16 nor amx_bf16)";
  }

  /**
   * Names of the variables the loader left without a value. TensorFlow's loader restores nothing, silently, when
   * a SavedModel's variables/ folder is missing or empty; the first run would then fail with "uninitialized value".
   */
  static List<String> uninitializedVariables(SavedModelBundle b) {
    Graph g = b.graph();
    List<String> names = new ArrayList<>();
    List<Operand<TBool>> checks = new ArrayList<>();
    Ops tf = Ops.create(g).withSubScope("srtune_variable_check");
    for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      switch (op.type()) {
        case "VarHandleOp" -> {
          names.add(op.name());
          checks.add(tf.varIsInitializedOp(op.output(0)));
        }
        case "VariableV2", "Variable" -> {
          names.add(op.name());
          checks.add(tf.isVariableInitialized(op.output(0)));
        }
        default -> { }
      }
    }
    if (checks.isEmpty()) {
      return List.of();
    }
    Session.Runner runner = b.session().runner();
    checks.forEach(runner::fetch);
    List<String> missing = new ArrayList<>();
    try (Result r = runner.run()) {
      for (int i = 0; i < names.size(); i++) {
        if (!((TBool) r.get(i)).getBoolean()) {
          missing.add(names.get(i));
        }
      }
    }
    return missing;
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /**
   * The scale {@code dir}'s {@code srtune.json} declares, read without loading the model, or 0 when it declares
   * none (or the file is missing or unreadable: {@link #load} then says what is wrong).
   */
  public static int declaredScale(Path dir) {
    Path metaFile = dir.resolve(SrSignature.METADATA_FILE);
    try {
      JsonObject meta = JsonParser.parseString(Files.readString(metaFile)).getAsJsonObject();
      return meta.has("scale") ? meta.get("scale").getAsInt() : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
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
          + " was given; pass --scale " + s + ", or build the model again with --scale " + scale + " where its "
          + "architecture allows (see 'srtune build --help').");
    }
  }

  @Override
  public void close() {
    bundle.close();
  }
}
