package dev.srtune.graph.tfjs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.graph.tfjs.KerasLayer.TensorRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TF.js LayersModel: the Keras layers of {@code model.json}'s {@code modelTopology} and the weights of its
 * {@code weightsManifest}, read from the shards next to it. Float32 weights are taken as they are; quantised
 * ones (uint8/uint16 with {@code min} and {@code scale}, or float16) are dequantised as the TF.js loader does.
 *
 * @param weights by the manifest's names, e.g. {@code F_0/kernel}
 */
public record LayersModel(String name, List<KerasLayer> layers, List<TensorRef> inputs, List<TensorRef> outputs,
    Map<String, WeightTensor> weights) {

  public LayersModel {
    layers = List.copyOf(layers);
    weights = Map.copyOf(weights);
  }

  public KerasLayer layer(String layerName) {
    for (KerasLayer l : layers) {
      if (l.name().equals(layerName)) {
        return l;
      }
    }
    throw new TfjsModelException("The model has no layer named '" + layerName + "'.");
  }

  /** A copy with some layers and weights replaced (same layer order). */
  public LayersModel replacing(Map<String, KerasLayer> newLayers, Map<String, WeightTensor> newWeights) {
    List<KerasLayer> ls = new ArrayList<>();
    for (KerasLayer l : layers) {
      ls.add(newLayers.getOrDefault(l.name(), l));
    }
    Map<String, WeightTensor> ws = new LinkedHashMap<>(weights);
    ws.putAll(newWeights);
    return new LayersModel(name, ls, inputs, outputs, ws);
  }

  /** Reads {@code model.json} and the weight shards it lists (paths relative to its folder). */
  public static LayersModel read(Path modelJson) throws IOException {
    if (!Files.isRegularFile(modelJson)) {
      throw new TfjsModelException("No TF.js model at " + modelJson + " (model.json missing).");
    }
    JsonObject root;
    try {
      root = JsonParser.parseString(Files.readString(modelJson)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new TfjsModelException(modelJson + " is not valid JSON (" + e.getMessage() + ").", e);
    }
    if (root.has("format") && !"layers-model".equals(root.get("format").getAsString())) {
      throw new TfjsModelException(modelJson + " is a TF.js '" + root.get("format").getAsString()
          + "', not a layers-model; only layers models can be rebuilt.");
    }
    if (!root.has("modelTopology") || !root.has("weightsManifest")) {
      throw new TfjsModelException(modelJson + " has no modelTopology/weightsManifest; it is not a TF.js LayersModel.");
    }
    JsonObject topology = root.getAsJsonObject("modelTopology");
    JsonObject modelConfig = topology.has("model_config") ? topology.getAsJsonObject("model_config") : topology;
    Map<String, WeightTensor> weights = readWeights(modelJson.getParent(), root.getAsJsonArray("weightsManifest"));
    return fromConfig(modelConfig, weights, modelJson.toString());
  }

  static LayersModel fromConfig(JsonObject modelConfig, Map<String, WeightTensor> weights, String what) {
    String cls = modelConfig.get("class_name").getAsString();
    JsonObject config = modelConfig.getAsJsonObject("config");
    List<KerasLayer> layers = new ArrayList<>();
    String name = config.has("name") ? config.get("name").getAsString() : "model";
    if (cls.equals("Sequential")) {
      // A chain: each layer is called once on the previous one's output.
      JsonArray ls = config.getAsJsonArray("layers");
      String previous = null;
      for (JsonElement e : ls) {
        JsonObject l = e.getAsJsonObject();
        JsonObject c = l.getAsJsonObject("config");
        String layerName = c.get("name").getAsString();
        List<List<TensorRef>> in = previous == null ? List.of() : List.of(List.of(new TensorRef(previous, 0, 0)));
        if (previous == null && !l.get("class_name").getAsString().equals("InputLayer")) {
          layers.add(new KerasLayer(layerName + "_input", "InputLayer", new JsonObject(), List.of()));
          in = List.of(List.of(new TensorRef(layerName + "_input", 0, 0)));
        }
        layers.add(new KerasLayer(layerName, l.get("class_name").getAsString(), c, in));
        previous = layerName;
      }
      return new LayersModel(name, layers, List.of(new TensorRef(layers.get(0).name(), 0, 0)),
          List.of(new TensorRef(previous, 0, 0)), weights);
    }
    if (!cls.equals("Model") && !cls.equals("Functional")) {
      throw new TfjsModelException(what + " holds a Keras '" + cls + "'; only functional (Model) and Sequential "
          + "models can be rebuilt.");
    }
    for (JsonElement e : config.getAsJsonArray("layers")) {
      JsonObject l = e.getAsJsonObject();
      String layerName = l.get("name").getAsString();
      List<List<TensorRef>> nodes = new ArrayList<>();
      for (JsonElement node : l.getAsJsonArray("inbound_nodes")) {
        if (!node.isJsonArray()) {
          throw new TfjsModelException("Layer '" + layerName + "' of " + what + " uses the Keras 3 inbound_nodes "
              + "format, which is not supported; convert the model with Keras 2.");
        }
        List<TensorRef> refs = new ArrayList<>();
        for (JsonElement r : node.getAsJsonArray()) {
          refs.add(ref(r.getAsJsonArray()));
        }
        nodes.add(refs);
      }
      layers.add(new KerasLayer(layerName, l.get("class_name").getAsString(), l.getAsJsonObject("config"), nodes));
    }
    return new LayersModel(name, layers, refs(config.get("input_layers")), refs(config.get("output_layers")),
        weights);
  }

  private static List<TensorRef> refs(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    List<TensorRef> out = new ArrayList<>();
    // Keras writes a single tensor either as ["name", 0, 0] or as [["name", 0, 0]].
    if (!a.isEmpty() && a.get(0).isJsonPrimitive()) {
      out.add(ref(a));
      return out;
    }
    for (JsonElement r : a) {
      out.add(ref(r.getAsJsonArray()));
    }
    return out;
  }

  private static TensorRef ref(JsonArray a) {
    return new TensorRef(a.get(0).getAsString(), a.get(1).getAsInt(), a.get(2).getAsInt());
  }

  /** Each manifest group is its shards concatenated, holding its weights back to back in manifest order. */
  static Map<String, WeightTensor> readWeights(Path dir, JsonArray manifest) throws IOException {
    Map<String, WeightTensor> out = new LinkedHashMap<>();
    for (JsonElement g : manifest) {
      JsonObject group = g.getAsJsonObject();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (JsonElement p : group.getAsJsonArray("paths")) {
        Path shard = dir.resolve(p.getAsString());
        if (!Files.isRegularFile(shard)) {
          throw new TfjsModelException("Weight shard " + shard + " is missing; unpack the whole model folder.");
        }
        bytes.write(Files.readAllBytes(shard));
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
      for (JsonElement w : group.getAsJsonArray("weights")) {
        WeightTensor t = readWeight(w.getAsJsonObject(), buf);
        out.put(t.name(), t);
      }
      if (buf.hasRemaining()) {
        throw new TfjsModelException("The weight shards " + group.getAsJsonArray("paths") + " hold " + buf.remaining()
            + " bytes more than the manifest describes; the model files do not match.");
      }
    }
    return out;
  }

  private static WeightTensor readWeight(JsonObject w, ByteBuffer buf) {
    String name = w.get("name").getAsString();
    JsonArray s = w.getAsJsonArray("shape");
    long[] shape = new long[s.size()];
    int n = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = s.get(i).getAsLong();
      n *= (int) shape[i];
    }
    String dtype = w.get("dtype").getAsString();
    if (!dtype.equals("float32")) {
      throw new TfjsModelException("Weight '" + name + "' is " + dtype + "; only float32 weights can be imported.");
    }
    JsonObject q = w.has("quantization") ? w.getAsJsonObject("quantization") : null;
    String stored = q == null ? "float32" : q.get("dtype").getAsString();
    int bytesPer = switch (stored) {
      case "float32" -> 4;
      case "uint8" -> 1;
      case "uint16", "float16" -> 2;
      default -> throw new TfjsModelException("Weight '" + name + "' is quantised as " + stored
          + ", which is not supported (float32, uint8, uint16, float16 are).");
    };
    if (buf.remaining() < (long) n * bytesPer) {
      throw new TfjsModelException("The weight shards end inside weight '" + name + "'; the shard files are "
          + "truncated or do not belong to this model.json.");
    }
    float[] v = new float[n];
    switch (stored) {
      case "float32" -> {
        for (int i = 0; i < n; i++) {
          v[i] = buf.getFloat();
        }
      }
      case "uint8", "uint16" -> {
        // As the TF.js loader: value = q * scale + min, computed in double, stored as float32.
        double scale = q.get("scale").getAsDouble();
        double min = q.get("min").getAsDouble();
        for (int i = 0; i < n; i++) {
          int qv = stored.equals("uint8") ? Byte.toUnsignedInt(buf.get()) : Short.toUnsignedInt(buf.getShort());
          v[i] = (float) (qv * scale + min);
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          v[i] = halfToFloat(buf.getShort());
        }
      }
    }
    return new WeightTensor(name, shape, v);
  }

  /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | mant << 13);
    }
    if (exp == 0) {
      float f = mant * 0x1p-24f;
      return sign == 0 ? f : -f;
    }
    return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
  }
}
