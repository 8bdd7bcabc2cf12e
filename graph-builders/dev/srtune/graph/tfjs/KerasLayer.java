package dev.srtune.graph.tfjs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * One layer of a Keras functional model config: its class, its config and, per call ("node"), the tensors it
 * was called on.
 */
public record KerasLayer(String name, String className, JsonObject config, List<List<TensorRef>> inboundNodes) {

  /** Output {@code tensor} of call {@code node} of layer {@code layer}, as Keras' inbound_nodes name them. */
  public record TensorRef(String layer, int node, int tensor) {}

  public int intConfig(String key, int fallback) {
    JsonElement e = config.get(key);
    return e == null || e.isJsonNull() ? fallback : e.getAsInt();
  }

  public String stringConfig(String key, String fallback) {
    JsonElement e = config.get(key);
    return e == null || e.isJsonNull() ? fallback : e.getAsString();
  }

  /** An int pair such as kernel_size or size, given either as [a, b] or as one number. */
  public int[] pairConfig(String key, int fallback) {
    JsonElement e = config.get(key);
    if (e == null || e.isJsonNull()) {
      return new int[] {fallback, fallback};
    }
    if (e.isJsonArray()) {
      return new int[] {e.getAsJsonArray().get(0).getAsInt(), e.getAsJsonArray().get(1).getAsInt()};
    }
    return new int[] {e.getAsInt(), e.getAsInt()};
  }

  /** A copy with one config entry replaced (for {@link ScaleSurgery}). */
  public KerasLayer withConfig(String key, JsonElement value) {
    JsonObject c = config.deepCopy();
    c.add(key, value);
    return new KerasLayer(name, className, c, inboundNodes);
  }
}
