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
 * bias of a {@code BiasAdd}, directly or through {@code Identity}/{@code Cast}; and a float constant of rank 1 or
 * more that is added to, or multiplies, a value computed by a convolution or matmul — a bias written as
 * {@code Add} or a PReLU's slopes, as OpenCV's FSRCNN and LapSRN graphs hold them. Freezing turned exactly these
 * variables into constants; other constants (shapes, paddings, scalar factors, a mean subtracted from the input
 * before any convolution) stay constants. A mean added back after the last convolution is thawed like a bias.
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

  /** Elementwise ops whose rank>=1 constant operand, applied to a convolution's result, is a learned parameter. */
  private static final Set<String> ELEMENTWISE = Set.of("Add", "AddV2", "Sub", "Mul");

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
    Set<String> afterWeights = afterWeightOps(index, within);
    for (NodeDef n : index.nodes()) {
      if (!ELEMENTWISE.contains(n.getOp()) || !within.contains(n.getName())) {
        continue;
      }
      var inputs = NodeIndex.dataInputs(n);
      for (int p = 0; p < inputs.size(); p++) {
        String c = constantBehind(index, inputs.get(p).node());
        boolean otherComputed = inputs.size() == 2 && afterWeights.contains(inputs.get(1 - p).node());
        if (c != null && otherComputed && rank(index.node(c)) >= 1) {
          found.add(c);
        }
      }
    }
    return found;
  }

  /** The nodes among {@code within} whose value depends on a convolution's or matmul's output. */
  private static Set<String> afterWeightOps(NodeIndex index, Set<String> within) {
    java.util.Deque<String> todo = new java.util.ArrayDeque<>();
    for (NodeDef n : index.nodes()) {
      if (WEIGHT_INPUTS.containsKey(n.getOp()) && !n.getOp().startsWith("BiasAdd") && within.contains(n.getName())) {
        todo.add(n.getName());
      }
    }
    Set<String> seen = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (seen.add(n)) {
        index.consumers(n).stream().filter(within::contains).forEach(todo::push);
      }
    }
    return seen;
  }

  private static int rank(NodeDef constant) {
    var shape = constant.getAttrOrThrow("value").getTensor().getTensorShape();
    return shape.getUnknownRank() ? -1 : shape.getDimCount();
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
