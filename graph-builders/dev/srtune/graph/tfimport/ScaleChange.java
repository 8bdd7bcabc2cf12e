package dev.srtune.graph.tfimport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * Runs an imported network trained for one scale at a smaller one that divides it (the paper's Section IV-A), keeping
 * every learned weight, the way {@code tfjs.ScaleSurgery} does for pixel-shuffle models: where the network enlarges
 * in exactly one {@code DepthToSpace} of block F, fed by a convolution (and its bias) whose F² sub-pixel channel
 * groups it interleaves, the groups of each (F/f)×(F/f) block of sub-pixels are averaged (filter and bias alike), so
 * the convolution now computes the box-filtered ×F map at ×f, and the block becomes f. ESPCN and FSRCNN are such
 * networks. Anything else (two enlarging ops, a scale not dividing F) is refused in one sentence.
 */
final class ScaleChange {
  /** Ops that enlarge an image. */
  private static final Set<String> ENLARGING = Set.of("DepthToSpace", "ResizeNearestNeighbor", "ResizeBilinear",
      "ResizeBicubic", "ResizeArea", "Conv2DBackpropInput", "ScaleAndTranslate");

  /**
   * The network at {@code scale}, its new weight values (added to {@code values}, replacing the old; the caller
   * closes them all), and what was done in words; null where it already runs at {@code scale} or has no
   * single depth-to-space stage to change (the export then says which scale it has).
   */
  record Changed(InferenceSubgraph.Result net, String description) {}

  private ScaleChange() {}

  static Changed toScale(InferenceSubgraph.Result net, Map<String, TFloat32> values, int scale) {
    List<NodeDef> enlarging = net.def().getNodeList().stream().filter(n -> ENLARGING.contains(n.getOp())).toList();
    if (scale < 1 || enlarging.size() != 1 || !enlarging.get(0).getOp().equals("DepthToSpace")
        || net.bicubicInput()) {
      return null;
    }
    NodeDef shuffle = enlarging.get(0);
    int big = (int) shuffle.getAttrOrThrow("block_size").getI();
    if (big == scale || scale > big) {
      return null; // nothing to do, or nothing learned could make it: the export names the network's own scale
    }
    if (big % scale != 0 || !"NHWC".equals(shuffle.getAttrOrDefault("data_format",
        AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("NHWC")).build()).getS()
        .toStringUtf8())) {
      throw new GraphImportException("A x" + scale + " network cannot be made from the x" + big + " depth-to-space "
          + "stage '" + unprefixed(shuffle.getName()) + "' without an untrained layer (only scales dividing " + big
          + " keep all learned weights); build it at x" + big + ".");
    }
    NodeIndex index = new NodeIndex(net.def());
    // Walk back from the shuffle over a per-channel bias to the convolution that makes its sub-pixel groups.
    String filter = null;
    String bias = null;
    String n = NodeIndex.dataInputs(shuffle).get(0).node();
    for (int hops = 0; hops < 4 && filter == null; hops++) {
      NodeDef d = index.node(n);
      List<TensorRef> ins = NodeIndex.dataInputs(d);
      switch (d.getOp()) {
        case "Conv2D" -> filter = variableBehind(index, ins.get(1).node(), net.variables());
        case "BiasAdd", "Add", "AddV2" -> {
          int at = variableBehind(index, ins.get(1).node(), net.variables()) != null ? 1
              : variableBehind(index, ins.get(0).node(), net.variables()) != null ? 0 : -1;
          if (at < 0 || bias != null) {
            return refuse(shuffle);
          }
          bias = variableBehind(index, ins.get(at).node(), net.variables());
          n = ins.get(1 - at).node();
        }
        default -> {
          return refuse(shuffle);
        }
      }
    }
    if (filter == null) {
      return refuse(shuffle);
    }
    int k = big / scale;
    TFloat32 w = values.get(filter);
    long[] ws = w.shape().asArray();
    long channels = ws[3] / ((long) big * big);
    TFloat32 pooledW = pool(w, big, k, channels);
    values.put(filter, pooledW);
    if (bias != null) {
      values.put(bias, pool(values.get(bias), big, k, channels));
    }
    Map<String, Shape> newShapes = new LinkedHashMap<>();
    newShapes.put(filter, pooledW.shape());
    if (bias != null) {
      newShapes.put(bias, values.get(bias).shape());
    }
    GraphDef.Builder def = net.def().toBuilder().clearNode();
    for (NodeDef d : net.def().getNodeList()) {
      String original = unprefixed(d.getName());
      if (d.getName().equals(shuffle.getName())) {
        d = d.toBuilder().putAttr("block_size", AttrValue.newBuilder().setI(scale).build()).build();
      } else if (d.getOp().equals("VariableV2") && newShapes.containsKey(original)) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long dim : newShapes.get(original).asArray()) {
          s.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        d = d.toBuilder().putAttr("shape", AttrValue.newBuilder().setShape(s).build()).build();
      }
      def.addNode(d);
    }
    return new Changed(net.withDef(def.build()), "depth-to-space stage '" + unprefixed(shuffle.getName())
        + "' changed from x" + big + " to x" + scale + ": the " + big + "x" + big + " sub-pixel outputs of '"
        + filter + "'" + (bias != null ? " and '" + bias + "'" : "") + " averaged in " + k + "x" + k + " blocks");
  }

  private static Changed refuse(NodeDef shuffle) {
    throw new GraphImportException("The depth-to-space stage '" + unprefixed(shuffle.getName()) + "' is not fed by "
        + "a convolution (and its bias) whose sub-pixel outputs srtune could pool to another scale; build the model "
        + "at its own scale.");
  }

  /** The variable (original name) that {@code name} reads through Identity, or null. */
  private static String variableBehind(NodeIndex index, String name, List<String> variables) {
    for (int hops = 0; hops < 4; hops++) {
      NodeDef d = index.node(name);
      if (d == null) {
        return null;
      }
      if (d.getOp().equals("VariableV2") && variables.contains(unprefixed(name))) {
        return unprefixed(name);
      }
      if (!d.getOp().equals("Identity")) {
        return null;
      }
      name = NodeIndex.dataInputs(d).get(0).node();
    }
    return null;
  }

  /**
   * {@code t}'s last axis, of F·F groups of {@code channels} (DepthToSpace's order: sub-pixel row, column, channel),
   * averaged over each k×k block of sub-pixels into (F/k)·(F/k) groups.
   */
  static TFloat32 pool(TFloat32 t, int big, int k, long channels) {
    long[] dims = t.shape().asArray();
    long last = dims[dims.length - 1];
    long outer = t.shape().size() / last;
    int small = big / k;
    float[] in = new float[(int) t.shape().size()];
    t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(in, false, false));
    long newLast = (long) small * small * channels;
    float[] out = new float[(int) (outer * newLast)];
    for (long o = 0; o < outer; o++) {
      for (int i = 0; i < big; i++) {
        for (int j = 0; j < big; j++) {
          for (long c = 0; c < channels; c++) {
            long from = o * last + ((long) i * big + j) * channels + c;
            long to = o * newLast + ((long) (i / k) * small + j / k) * channels + c;
            out[(int) to] += in[(int) from] / (k * k);
          }
        }
      }
    }
    dims[dims.length - 1] = newLast;
    return TFloat32.tensorOf(Shape.of(dims), org.tensorflow.ndarray.buffer.DataBuffers.of(out, true, false));
  }

  private static String unprefixed(String name) {
    return name.startsWith(InferenceSubgraph.PREFIX) ? name.substring(InferenceSubgraph.PREFIX.length()) : name;
  }
}
