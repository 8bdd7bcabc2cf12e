package dev.srtune.graph.torch;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A PyTorch {@code state_dict}: parameter name → tensor, in file order.
 *
 * @param format {@code zip} or {@code legacy}, as read
 */
public record TorchStateDict(Map<String, TorchTensor> tensors, String format) {

  public TorchStateDict {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /**
   * The tensor called {@code key} with exactly {@code shape}; a missing key or another shape is an
   * {@link IllegalArgumentException} naming both, since it means the file is for another network.
   */
  public TorchTensor require(String key, int... shape) {
    TorchTensor t = tensors.get(key);
    if (t == null) {
      throw new IllegalArgumentException("the state dict has no '" + key + "' (it has " + describeKeys() + ")");
    }
    if (!t.hasShape(shape)) {
      throw new IllegalArgumentException("'" + key + "' has shape " + Arrays.toString(t.shape()) + ", expected "
          + Arrays.toString(shape));
    }
    return t;
  }

  /** The entries whose names start with {@code prefix}, with the prefix removed. */
  public TorchStateDict withPrefix(String prefix) {
    Map<String, TorchTensor> m = new LinkedHashMap<>();
    tensors.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        m.put(k.substring(prefix.length()), v);
      }
    });
    return new TorchStateDict(m, format);
  }

  private String describeKeys() {
    SortedSet<String> keys = new TreeSet<>(tensors.keySet());
    if (keys.size() <= 8) {
      return keys.toString();
    }
    return keys.size() + " keys from " + keys.first() + " to " + keys.last();
  }
}
