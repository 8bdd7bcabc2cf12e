package dev.srtune.graph.lpips;

import dev.srtune.graph.torch.TorchStateDict;
import dev.srtune.graph.torch.TorchTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values LPIPS needs for one backbone, already in TensorFlow layout: conv filters HWIO by torchvision key
 * (e.g. {@code features.3.squeeze.weight}), biases, and the linear heads (one non-negative weight per channel).
 */
public record LpipsWeights(LpipsNet net, Map<String, Filter> convs, List<float[]> heads) {

  /** One convolution: an HWIO filter of shape {@code [k, k, in, out]} and its bias. */
  public record Filter(int kernel, int in, int out, float[] hwio, float[] bias) {}

  public LpipsWeights {
    convs = Map.copyOf(convs);
    heads = List.copyOf(heads);
  }

  /**
   * Takes the weights from a torchvision {@code state_dict} of the backbone (keys {@code features.*}; a
   * {@code classifier.*} is ignored) and the official LPIPS v0.1 heads file (keys {@code lin<k>.model.1.weight}).
   *
   * @throws IllegalArgumentException naming the key when a tensor is missing or has another shape (e.g. the
   *     backbone of another network)
   */
  public static LpipsWeights from(LpipsNet net, TorchStateDict backbone, TorchStateDict linearHeads) {
    Map<String, Filter> convs = new LinkedHashMap<>();
    for (LpipsNet.Layer l : net.layers()) {
      if (l instanceof LpipsNet.Layer.Conv c) {
        put(convs, backbone, "features." + c.index(), c.kernel(), c.in(), c.out());
      } else if (l instanceof LpipsNet.Layer.Fire f) {
        String p = "features." + f.index();
        put(convs, backbone, p + ".squeeze", 1, f.in(), f.squeeze());
        put(convs, backbone, p + ".expand1x1", 1, f.squeeze(), f.expand1x1());
        put(convs, backbone, p + ".expand3x3", 3, f.squeeze(), f.expand3x3());
      }
    }
    List<float[]> heads = new ArrayList<>();
    int[] channels = net.tapChannels();
    for (int k = 0; k < channels.length; k++) {
      heads.add(linearHeads.require("lin" + k + ".model.1.weight", 1, channels[k], 1, 1).data());
    }
    return new LpipsWeights(net, convs, heads);
  }

  private static void put(Map<String, Filter> convs, TorchStateDict sd, String prefix, int k, int in, int out) {
    TorchTensor w = sd.require(prefix + ".weight", out, in, k, k);
    TorchTensor b = sd.require(prefix + ".bias", out);
    convs.put(prefix, new Filter(k, in, out, w.hwioFromOihw(), b.data()));
  }

  public Filter conv(String prefix) {
    Filter f = convs.get(prefix);
    if (f == null) {
      throw new IllegalArgumentException("no weights for " + prefix);
    }
    return f;
  }
}
