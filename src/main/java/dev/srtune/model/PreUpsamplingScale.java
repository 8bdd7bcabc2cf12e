package dev.srtune.model;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.UserInputException;
import dev.srtune.graph.savedmodel.SrSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A pre-upsampling network (its {@code srtune.json} has {@code pre_upsampling}) runs at any scale with the same
 * weights: only srtune's bicubic enlargement in front of it depends on the scale, and it reads the factor from one
 * constant ({@link SrSignature#SCALE_NODE}). {@link #atScale} gives the model at another scale: a copy in a temporary
 * folder with that constant (and {@code scale} in {@code srtune.json}) changed, the variables as they are.
 */
public final class PreUpsamplingScale {
  private PreUpsamplingScale() {}

  /** True where {@code dir}'s {@code srtune.json} says the model is a pre-upsampling network. */
  public static boolean isPreUpsampling(Path dir) {
    JsonObject meta = metadata(dir);
    return meta != null && meta.has("pre_upsampling");
  }

  /**
   * {@code dir} itself where it is not a pre-upsampling model or already runs at {@code scale}; else a temporary
   * copy that runs at {@code scale} (the caller deletes it with {@link #delete} when done).
   */
  public static Path atScale(Path dir, int scale) throws IOException {
    JsonObject meta = metadata(dir);
    if (meta == null || !meta.has("pre_upsampling") || !meta.has("scale") || meta.get("scale").getAsInt() == scale) {
      return dir;
    }
    SavedModel saved = SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb")));
    SavedModel.Builder b = saved.toBuilder();
    boolean found = false;
    for (int m = 0; m < b.getMetaGraphsCount(); m++) {
      MetaGraphDef.Builder mg = b.getMetaGraphsBuilder(m);
      GraphDef.Builder g = mg.getGraphDefBuilder();
      for (int i = 0; i < g.getNodeCount(); i++) {
        NodeDef n = g.getNode(i);
        if (n.getName().equals(SrSignature.SCALE_NODE) && n.getOp().equals("Const")) {
          g.setNode(i, n.toBuilder().putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
              .setDtype(DataType.DT_INT32).setTensorShape(TensorShapeProto.getDefaultInstance()).addIntVal(scale))
              .build()).build());
          found = true;
        }
      }
    }
    if (!found) {
      throw new UserInputException("The model at " + dir + " is a pre-upsampling network built at x"
          + meta.get("scale").getAsInt() + " without a " + SrSignature.SCALE_NODE + " constant; build it again "
          + "with --scale " + scale + ".");
    }
    Path copy = Files.createTempDirectory("srtune-x" + scale + "-");
    Files.write(copy.resolve("saved_model.pb"), b.build().toByteArray());
    Path variables = dir.resolve("variables");
    if (Files.isDirectory(variables)) {
      Files.createDirectories(copy.resolve("variables"));
      try (Stream<Path> files = Files.list(variables)) {
        for (Path f : files.toList()) {
          Files.copy(f, copy.resolve("variables").resolve(f.getFileName()));
        }
      }
    }
    meta.addProperty("built_scale", meta.get("scale").getAsInt());
    meta.addProperty("scale", scale);
    Files.writeString(copy.resolve(SrSignature.METADATA_FILE), meta.toString());
    return copy;
  }

  /** Removes a copy {@link #atScale} made (nothing where {@code copy} is {@code original}). */
  public static void delete(Path copy, Path original) {
    if (copy.equals(original)) {
      return;
    }
    try (Stream<Path> files = Files.walk(copy)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary folder left behind is not worth failing a finished run for
    }
  }

  private static JsonObject metadata(Path dir) {
    try {
      return JsonParser.parseString(Files.readString(dir.resolve(SrSignature.METADATA_FILE))).getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
