package dev.srtune.graph.tfimport;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Rewrites a graph as it was published — often the graph it was trained with — into the one inference runs, before
 * its input and output are chosen:
 * <ul>
 *   <li>a dataset iterator's outputs ({@code IteratorGetNext}) become placeholders of the types and shapes it
 *       declares (output 0 under the iterator's own name, output k as {@code NAME_k}), so the network's input is
 *       one like any other;
 *   <li>an integer image placeholder read through a {@code Cast} to float becomes a float placeholder;
 *   <li>a float image placeholder whose shape leaves its channels open gets the channels (and layout) of the first
 *       convolution it feeds, so a Y-channel network is seen to be one;
 *   <li>a dropout keep-probability placeholder (added to a random uniform and floored, as TF1's {@code dropout}
 *       does) becomes the constant 1, a dropout rate placeholder (compared with a random uniform) the constant 0,
 *       and a boolean placeholder (an {@code is_training} flag) the constant false;
 *   <li>batch normalisation runs in inference mode ({@code FusedBatchNorm*} with {@code is_training = false});
 *   <li>an image placeholder's shape as a graph before version 21 wrote it (empty) is read as unknown, and a fixed
 *       height and width (a training patch) is relaxed to any size ({@link PlaceholderShapes}).
 * </ul>
 * What was set is returned in words, for the model's {@code srtune.json}.
 */
final class InferenceMode {
  /** The rewritten graph and, by node, what was set or replaced. */
  record Result(GraphDef def, Map<String, String> settings) {
    /** The settings of the nodes among {@code used} (the network's), in the same order. */
    Map<String, String> within(Set<String> used) {
      Map<String, String> m = new LinkedHashMap<>(settings);
      m.keySet().retainAll(used);
      return m;
    }
  }

  /** Ops a value passes through on its way from the input to the first convolution (for its channel count). */
  private static final Set<String> PASS_THROUGH = Set.of("Identity", "Cast", "Sub", "Add", "AddV2", "Mul", "RealDiv",
      "Maximum", "Minimum", "Pad", "MirrorPad", "PadV2", "Relu", "BiasAdd", "StopGradient");
  private static final Set<String> CONVOLUTIONS = Set.of("Conv2D", "DepthwiseConv2dNative");
  private static final Set<String> ITERATORS = Set.of("IteratorGetNext", "IteratorGetNextSync");
  private static final Set<String> COMPARISONS = Set.of("GreaterEqual", "Greater", "Less", "LessEqual");
  /** Attribute carrying the layout of an input placeholder whose channels come first (NCHW). */
  static final String LAYOUT_ATTR = "_srtune_layout";

  private InferenceMode() {}

  static Result apply(GraphDef original) {
    Map<String, String> settings = new LinkedHashMap<>();
    GraphDef def = iteratorsToPlaceholders(original, settings);
    NodeIndex index = new NodeIndex(def);
    Map<String, NodeDef> replaced = new HashMap<>();
    Set<String> castsToFloat = new HashSet<>();
    for (NodeDef n : index.nodes()) {
      if (n.getOp().startsWith("FusedBatchNorm") && n.getAttrOrDefault("is_training",
          AttrValue.getDefaultInstance()).getB()) {
        replaced.put(n.getName(), n.toBuilder().putAttr("is_training", AttrValue.newBuilder().setB(false).build())
            .build());
        settings.put(n.getName(), "batch normalisation in inference mode (its moving mean and variance)");
      }
      if (!n.getOp().equals("Placeholder")) {
        continue;
      }
      DataType t = n.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType();
      if (t == DataType.DT_BOOL) {
        replaced.put(n.getName(), scalarConst(n.getName(), DataType.DT_BOOL, 0));
        settings.put(n.getName(), "false (a training flag, fed its inference value)");
      } else if (t == DataType.DT_FLOAT && isScalar(n)) {
        String role = dropoutRole(index, n.getName());
        if (role != null) {
          float v = role.equals("keep") ? 1f : 0f;
          replaced.put(n.getName(), scalarConst(n.getName(), DataType.DT_FLOAT, v));
          settings.put(n.getName(), (role.equals("keep") ? "1 (a dropout keep probability" : "0 (a dropout rate")
              + ": dropout off for inference)");
        }
      } else if (t != DataType.DT_FLOAT && rank4OrUnknown(n)) {
        String cast = floatCast(index, n.getName());
        if (cast != null) {
          replaced.put(n.getName(), n.toBuilder().putAttr("dtype", type(DataType.DT_FLOAT)).build());
          castsToFloat.add(cast);
          settings.put(n.getName(), "a float image input (the graph took " + t.name().replace("DT_", "")
              .toLowerCase(java.util.Locale.ROOT) + " and cast it to float)");
        }
      }
    }
    GraphDef.Builder out = def.toBuilder().clearNode();
    int producer = def.getVersions().getProducer();
    boolean sizeFixedElsewhere = PlaceholderShapes.fixesASpatialSize(index);
    for (NodeDef n : def.getNodeList()) {
      NodeDef r = PlaceholderShapes.legacyShape(replaced.getOrDefault(n.getName(), n), producer);
      if (castsToFloat.contains(n.getName())) {
        r = r.toBuilder().putAttr("SrcT", type(DataType.DT_FLOAT)).build();
      }
      if (r.getOp().equals("Placeholder") && r.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType()
          == DataType.DT_FLOAT && rank4OrUnknown(r)) {
        r = withConvChannels(index, r, settings);
        r = sizeFixedElsewhere ? r : PlaceholderShapes.anySize(r, settings);
      }
      out.addNode(r);
    }
    return new Result(out.build(), settings);
  }

  /** Each iterator output k becomes a placeholder: {@code NAME} for output 0, {@code NAME_k} for the others. */
  private static GraphDef iteratorsToPlaceholders(GraphDef def, Map<String, String> settings) {
    Map<String, NodeDef> iterators = new LinkedHashMap<>();
    for (NodeDef n : def.getNodeList()) {
      if (ITERATORS.contains(n.getOp())) {
        iterators.put(n.getName(), n);
      }
    }
    if (iterators.isEmpty()) {
      return def;
    }
    GraphDef.Builder out = def.toBuilder().clearNode();
    Set<String> added = new HashSet<>();
    for (NodeDef n : def.getNodeList()) {
      NodeDef it = iterators.get(n.getName());
      if (it != null) {
        List<DataType> types = it.getAttrOrThrow("output_types").getList().getTypeList();
        List<TensorShapeProto> shapes = it.getAttrOrDefault("output_shapes", AttrValue.getDefaultInstance())
            .getList().getShapeList();
        for (int k = 0; k < types.size(); k++) {
          NodeDef.Builder p = NodeDef.newBuilder().setOp("Placeholder").setName(k == 0 ? it.getName()
              : it.getName() + "_" + k).putAttr("dtype", type(types.get(k)));
          if (k < shapes.size()) {
            p.putAttr("shape", AttrValue.newBuilder().setShape(shapes.get(k)).build());
          }
          if (added.add(p.getName())) {
            out.addNode(p);
          }
        }
        settings.put(it.getName(), "a placeholder per output (the graph read them from a dataset iterator)");
        continue;
      }
      NodeDef.Builder b = n.toBuilder().clearInput();
      for (String s : n.getInputList()) {
        TensorRef r = TensorRef.parse(s);
        if (!r.control() && iterators.containsKey(r.node()) && r.index() > 0) {
          b.addInput(r.node() + "_" + r.index());
        } else if (r.control() && iterators.containsKey(r.node())) {
          continue; // a placeholder has nothing to wait for
        } else {
          b.addInput(s);
        }
      }
      out.addNode(b);
    }
    return out.build();
  }

  /**
   * "keep" where the scalar {@code p} is added to a random uniform that is then floored (TF1 dropout), "rate" where
   * it is compared with one (TF2 dropout), null otherwise. A few ops of arithmetic on {@code p} (1 − rate) are
   * followed.
   */
  private static String dropoutRole(NodeIndex index, String p) {
    Deque<String> todo = new ArrayDeque<>(List.of(p));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty() && seen.size() < 16) {
      String n = todo.pop();
      if (!seen.add(n)) {
        continue;
      }
      for (String c : index.consumers(n)) {
        NodeDef cd = index.node(c);
        boolean random = NodeIndex.dataInputs(cd).stream().anyMatch(r -> !r.node().equals(n)
            && fromRandom(index, r.node()));
        if (random && (cd.getOp().equals("Add") || cd.getOp().equals("AddV2"))
            && index.consumers(c).stream().anyMatch(f -> index.node(f).getOp().equals("Floor"))) {
          return "keep";
        }
        if (random && COMPARISONS.contains(cd.getOp())) {
          return "rate";
        }
        if (Set.of("Sub", "Add", "AddV2", "Mul", "RealDiv", "Identity").contains(cd.getOp())) {
          todo.add(c);
        }
      }
    }
    return null;
  }

  /** True where {@code name} is a random op or a little arithmetic on one (a uniform on [min, max)). */
  private static boolean fromRandom(NodeIndex index, String name) {
    for (int hops = 0; hops < 4 && name != null; hops++) {
      NodeDef n = index.node(name);
      if (n == null) {
        return false;
      }
      if (n.getOp().startsWith("Random") || n.getOp().startsWith("StatelessRandom")) {
        return true;
      }
      String next = null;
      for (TensorRef r : NodeIndex.dataInputs(n)) {
        NodeDef in = index.node(r.node());
        if (in != null && !in.getOp().equals("Const")) {
          next = r.node();
          break;
        }
      }
      name = next;
    }
    return false;
  }

  /** The Cast-to-float consumer through which an integer placeholder is read, or null. */
  private static String floatCast(NodeIndex index, String p) {
    List<String> cs = index.consumers(p);
    if (cs.size() != 1) {
      return null;
    }
    NodeDef c = index.node(cs.get(0));
    return c.getOp().equals("Cast") && c.getAttrOrDefault("DstT", AttrValue.getDefaultInstance()).getType()
        == DataType.DT_FLOAT ? c.getName() : null;
  }

  /** {@code p} with a shape whose channels are those of the first convolution it feeds, where it left them open. */
  private static NodeDef withConvChannels(NodeIndex index, NodeDef p, Map<String, String> settings) {
    TensorShapeProto shape = p.getAttrOrDefault("shape", AttrValue.getDefaultInstance()).getShape();
    boolean known = p.containsAttr("shape") && !shape.getUnknownRank() && shape.getDimCount() == 4;
    if (known && shape.getDim(3).getSize() > 0) {
      return p;
    }
    long[] conv = firstConvolution(index, p.getName());
    if (conv == null) {
      return p;
    }
    boolean nchw = conv[1] == 1;
    long[] dims = new long[4];
    for (int i = 0; i < 4; i++) {
      dims[i] = known ? shape.getDim(i).getSize() : -1;
    }
    if (nchw && known && dims[1] > 0) {
      return p.toBuilder().putAttr(LAYOUT_ATTR, AttrValue.newBuilder().setS(com.google.protobuf.ByteString
          .copyFromUtf8("NCHW")).build()).build();
    }
    dims[nchw ? 1 : 3] = conv[0];
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    settings.put(p.getName(), conv[0] + " channel(s)" + (nchw ? ", channels first (NCHW)" : "")
        + " (from the first convolution it feeds; the graph leaves its shape open)");
    NodeDef.Builder b = p.toBuilder().putAttr("shape", AttrValue.newBuilder().setShape(s).build());
    if (nchw) {
      b.putAttr(LAYOUT_ATTR, AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8("NCHW")).build());
    }
    return b.build();
  }

  /** {channels, 1 if NCHW else 0} of the first convolution {@code from} feeds through pass-through ops, or null. */
  private static long[] firstConvolution(NodeIndex index, String from) {
    Deque<String> todo = new ArrayDeque<>(List.of(from));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String n = todo.poll();
      if (!seen.add(n)) {
        continue;
      }
      for (String c : index.consumers(n)) {
        NodeDef cd = index.node(c);
        List<TensorRef> ins = NodeIndex.dataInputs(cd);
        if (CONVOLUTIONS.contains(cd.getOp()) && !ins.isEmpty() && ins.get(0).node().equals(n) && ins.size() > 1) {
          long[] f = staticShape(index, ins.get(1).node());
          if (f != null && f.length == 4 && f[2] > 0) {
            boolean nchw = cd.getAttrOrDefault("data_format", AttrValue.getDefaultInstance()).getS().toStringUtf8()
                .equals("NCHW");
            return new long[] {f[2], nchw ? 1 : 0};
          }
        } else if (PASS_THROUGH.contains(cd.getOp())) {
          todo.add(c);
        }
      }
    }
    return null;
  }

  /** The static shape of a constant or variable (through Identity reads), or null. */
  static long[] staticShape(NodeIndex index, String name) {
    for (int hops = 0; hops < 8; hops++) {
      NodeDef n = index.node(name);
      if (n == null) {
        return null;
      }
      switch (n.getOp()) {
        case "Const" -> {
          return dims(n.getAttrOrThrow("value").getTensor().getTensorShape());
        }
        case "VariableV2", "Variable", "VarHandleOp" -> {
          return n.containsAttr("shape") ? dims(n.getAttrOrThrow("shape").getShape()) : null;
        }
        case "Identity", "ReadVariableOp", "Cast" -> name = NodeIndex.dataInputs(n).get(0).node();
        default -> {
          return null;
        }
      }
    }
    return null;
  }

  private static long[] dims(TensorShapeProto s) {
    return s.getUnknownRank() ? null : s.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
  }

  private static boolean isScalar(NodeDef n) {
    AttrValue a = n.getAttrOrDefault("shape", null);
    return a != null && a.hasShape() && !a.getShape().getUnknownRank() && a.getShape().getDimCount() == 0;
  }

  private static boolean rank4OrUnknown(NodeDef n) {
    AttrValue a = n.getAttrOrDefault("shape", null);
    return a == null || !a.hasShape() || a.getShape().getUnknownRank() || a.getShape().getDimCount() == 4;
  }

  private static NodeDef scalarConst(String name, DataType t, float v) {
    TensorProto.Builder tp = TensorProto.newBuilder().setDtype(t).setTensorShape(TensorShapeProto.getDefaultInstance());
    if (t == DataType.DT_BOOL) {
      tp.addBoolVal(v != 0);
    } else {
      tp.addFloatVal(v);
    }
    return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(t))
        .putAttr("value", AttrValue.newBuilder().setTensor(tp).build()).build();
  }

  private static AttrValue type(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }

  /** Layout of an input placeholder: true where its channels come first. */
  static boolean channelsFirst(NodeDef placeholder) {
    return placeholder != null && placeholder.getAttrOrDefault(LAYOUT_ATTR, AttrValue.getDefaultInstance()).getS()
        .toStringUtf8().equals("NCHW");
  }
}
