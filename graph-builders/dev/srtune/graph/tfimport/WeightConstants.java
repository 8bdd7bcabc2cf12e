package dev.srtune.graph.tfimport;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/**
 * The constants of a frozen graph that are weights: a float {@code Const} that is the filter of a convolution
 * ({@code Conv2D}, {@code DepthwiseConv2dNative}, {@code Conv2DBackpropInput}), an operand of a {@code MatMul}, or the
 * bias of a {@code BiasAdd}, directly or through {@code Identity}/{@code Cast}. Freezing turned exactly these
 * variables into constants; other constants (shapes, paddings, mean shifts) stay constants.
 */
final class WeightConstants {
  /** Operand positions that hold a weight, per op type. */
  private static final Map<String, int[]> WEIGHT_INPUTS = Map.of(
      "Conv2D", new int[] {1},
      "DepthwiseConv2dNative", new int[] {1},
      "Conv2DBackpropInput", new int[] {1},
      "Conv3D", new int[] {1},
      "MatMul", new int[] {0, 1},
      "BiasAdd", new int[] {1},
      "BiasAddV1", new int[] {1});

  private WeightConstants() {}

  /** Names of the weight constants among {@code within}, in graph order. */
  static Set<String> find(NodeIndex index, Set<String> within) {
    Set<String> found = new LinkedHashSet<>();
    for (NodeDef n : index.nodes()) {
      int[] positions = WEIGHT_INPUTS.get(n.getOp());
      if (positions == null || !within.contains(n.getName())) {
        continue;
      }
      var inputs = NodeIndex.dataInputs(n);
      for (int p : positions) {
        if (p < inputs.size()) {
          String c = constantBehind(index, inputs.get(p).node());
          if (c != null) {
            found.add(c);
          }
        }
      }
    }
    return found;
  }

  /** The float Const that {@code name} is, or passes on through Identity/Cast; null if none. */
  private static String constantBehind(NodeIndex index, String name) {
    for (int hops = 0; hops < 16; hops++) {
      NodeDef n = index.node(name);
      if (n == null) {
        return null;
      }
      switch (n.getOp()) {
        case "Const" -> {
          return n.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType() == DataType.DT_FLOAT
              ? name : null;
        }
        case "Identity", "Cast" -> name = NodeIndex.dataInputs(n).get(0).node();
        default -> {
          return null;
        }
      }
    }
    return null;
  }
}
