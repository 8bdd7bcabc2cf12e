package dev.srtune.graph.tfjs;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes tiny TF.js LayersModels (model.json + one shard) the way the TF.js converter lays them out, with
 * float32 or uint8-quantised weights, and keeps the (dequantised) weights for reference computations.
 */
final class TinyTfjsModel {
  private final JsonArray layers = new JsonArray();
  private final Map<String, long[]> shapes = new LinkedHashMap<>();
  /** Weights as the model will hold them after loading (dequantised if quantised). */
  final Map<String, float[]> weights = new LinkedHashMap<>();
  private final Map<String, float[]> raw = new LinkedHashMap<>();
  private final Random random = new Random(42);
  private String output;

  TinyTfjsModel input(String name) {
    JsonObject c = new JsonObject();
    c.add("batch_input_shape", array(null, null, null, 3));
    c.addProperty("dtype", "float32");
    c.addProperty("name", name);
    return layer("InputLayer", name, c);
  }

  TinyTfjsModel conv(String name, String in, int kernel, int inChannels, int filters, String padding, String act) {
    JsonObject c = new JsonObject();
    c.addProperty("name", name);
    c.addProperty("filters", filters);
    c.add("kernel_size", array(kernel, kernel));
    c.add("strides", array(1, 1));
    c.addProperty("padding", padding);
    c.addProperty("data_format", "channels_last");
    c.add("dilation_rate", array(1, 1));
    c.addProperty("activation", act);
    c.addProperty("use_bias", true);
    addWeight(name + "/kernel", new long[] {kernel, kernel, inChannels, filters});
    addWeight(name + "/bias", new long[] {filters});
    return layer("Conv2D", name, c, in);
  }

  TinyTfjsModel layer(String className, String name, JsonObject config, String... inputs) {
    JsonObject l = new JsonObject();
    l.addProperty("class_name", className);
    l.addProperty("name", name);
    config.addProperty("name", name);
    l.add("config", config);
    JsonArray nodes = new JsonArray();
    if (inputs.length > 0) {
      JsonArray node = new JsonArray();
      for (String i : inputs) {
        JsonArray ref = new JsonArray();
        ref.add(i);
        ref.add(0);
        ref.add(0);
        ref.add(new JsonObject());
        node.add(ref);
      }
      nodes.add(node);
    }
    l.add("inbound_nodes", nodes);
    layers.add(l);
    output = name;
    return this;
  }

  static JsonObject config(Object... keyValues) {
    JsonObject c = new JsonObject();
    for (int i = 0; i < keyValues.length; i += 2) {
      Object v = keyValues[i + 1];
      if (v instanceof Number n) {
        c.addProperty((String) keyValues[i], n);
      } else if (v instanceof JsonArray a) {
        c.add((String) keyValues[i], a);
      } else {
        c.addProperty((String) keyValues[i], String.valueOf(v));
      }
    }
    return c;
  }

  static JsonArray array(Integer... values) {
    JsonArray a = new JsonArray();
    for (Integer v : values) {
      a.add(v);
    }
    return a;
  }

  private void addWeight(String name, long[] shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * 0.3);
    }
    shapes.put(name, shape);
    raw.put(name, v);
  }

  /**
   * Writes {@code dir/model.json} and {@code dir/group1-shard1of1.bin}; with {@code uint8}, each weight is stored
   * as q = round((v - min) / scale) with its min/scale in the manifest, as the TF.js converter quantises.
   */
  Path write(Path dir, boolean uint8) throws IOException {
    Files.createDirectories(dir);
    JsonArray weightSpecs = new JsonArray();
    ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    for (var e : raw.entrySet()) {
      JsonObject spec = new JsonObject();
      spec.addProperty("name", e.getKey());
      JsonArray shape = new JsonArray();
      for (long d : shapes.get(e.getKey())) {
        shape.add(d);
      }
      spec.add("shape", shape);
      spec.addProperty("dtype", "float32");
      float[] v = e.getValue();
      float[] loaded = new float[v.length];
      if (uint8) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float x : v) {
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
        double scale = (max - min) / 255.0;
        JsonObject q = new JsonObject();
        q.addProperty("dtype", "uint8");
        q.addProperty("min", (double) min);
        q.addProperty("scale", scale);
        q.addProperty("original_dtype", "float32");
        spec.add("quantization", q);
        for (int i = 0; i < v.length; i++) {
          int qv = (int) Math.round((v[i] - min) / scale);
          buf.put((byte) qv);
          loaded[i] = (float) (qv * scale + (double) min);
        }
      } else {
        for (int i = 0; i < v.length; i++) {
          buf.putFloat(v[i]);
          loaded[i] = v[i];
        }
      }
      weights.put(e.getKey(), loaded);
      weightSpecs.add(spec);
    }
    byte[] shard = new byte[buf.position()];
    buf.flip().get(shard);
    Files.write(dir.resolve("group1-shard1of1.bin"), shard);

    JsonObject config = new JsonObject();
    config.addProperty("name", "tiny");
    config.add("layers", layers);
    JsonArray in = new JsonArray();
    JsonArray inRef = new JsonArray();
    inRef.add(layers.get(0).getAsJsonObject().get("name").getAsString());
    inRef.add(0);
    inRef.add(0);
    in.add(inRef);
    config.add("input_layers", in);
    JsonArray out = new JsonArray();
    JsonArray outRef = new JsonArray();
    outRef.add(output);
    outRef.add(0);
    outRef.add(0);
    out.add(outRef);
    config.add("output_layers", out);
    JsonObject modelConfig = new JsonObject();
    modelConfig.addProperty("class_name", "Functional");
    modelConfig.add("config", config);
    JsonObject topology = new JsonObject();
    topology.addProperty("keras_version", "2.10.0");
    topology.addProperty("backend", "tensorflow");
    topology.add("model_config", modelConfig);
    JsonObject group = new JsonObject();
    JsonArray paths = new JsonArray();
    paths.add("group1-shard1of1.bin");
    group.add("paths", paths);
    group.add("weights", weightSpecs);
    JsonArray manifest = new JsonArray();
    manifest.add(group);
    JsonObject root = new JsonObject();
    root.addProperty("format", "layers-model");
    root.addProperty("generatedBy", "srtune test");
    root.add("modelTopology", topology);
    root.add("weightsManifest", manifest);
    Path json = dir.resolve("model.json");
    Files.writeString(json, new GsonBuilder().setPrettyPrinting().create().toJson(root));
    return json;
  }
}
