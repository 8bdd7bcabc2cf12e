package dev.srtune.graph.safety;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * The op types that may run from a user's model, and the check that a graph runs nothing else. An allowlist, not a
 * denylist: an op type nobody thought of is refused too. What a model may run:
 * <ul>
 *   <li>{@link #TENSOR_MATH}: array, math, NN and image-resize ops, variables and their reads and assignments,
 *       constants and placeholders, the dataflow selection of TF1 conditionals (Switch, Merge), random numbers
 *       (dropout), and calls of functions whose bodies are checked the same way;</li>
 *   <li>for the checkpoint restore the loader runs (the saver's restore op): {@link #CHECKPOINT_READ} and the string
 *       ops that make its file names ({@link #CHECKPOINT_NAMES}); for the saver's save (only when srtune exports):
 *       {@link #CHECKPOINT_WRITE} too. There no string constant may be an absolute path, a home path or hold "..":
 *       the file names must come from the prefix the loader or exporter feeds.</li>
 * </ul>
 * The check follows data and control inputs, as a session run does. Everything else (file, string, queue, dataset,
 * table, summary, print, py_func ops, control flow with function bodies) is refused, naming the op type and node.
 * Derived from what every importer and every real model in {@code ../shared/models/tf-real/} and the
 * UpscalerJS/EnhanceNet builders produce, plus the ops srtune's own SavedModels hold.
 */
public final class OpAllowlist {
  public static final Set<String> TENSOR_MATH = Set.of(
      // graph structure, constants, inputs, variables
      "Const", "HostConst", "Placeholder", "PlaceholderWithDefault", "Identity", "IdentityN", "NoOp", "StopGradient",
      "PreventGradient", "Snapshot", "EnsureShape", "CheckNumerics", "VariableV2", "Variable", "VarHandleOp",
      "ReadVariableOp", "DisableCopyOnRead", "Assign", "AssignAdd", "AssignSub", "AssignVariableOp",
      "AssignAddVariableOp", "AssignSubVariableOp", "VarIsInitializedOp", "IsVariableInitialized", "ZerosLike",
      "OnesLike", "Fill",
      // element-wise math
      "Add", "AddV2", "AddN", "Sub", "Mul", "MulNoNan", "Div", "RealDiv", "DivNoNan", "FloorDiv", "FloorMod", "Mod",
      "TruncateDiv", "Maximum", "Minimum", "Neg", "Abs", "Square", "Sqrt", "Rsqrt", "Exp", "Expm1", "Log", "Log1p",
      "Pow", "Reciprocal", "Inv", "Sign", "Round", "Rint", "Floor", "Ceil", "Tanh", "Sigmoid", "Erf", "Sin", "Cos",
      "SquaredDifference", "ClipByValue", "Cast", "Equal", "NotEqual", "Less", "LessEqual", "Greater",
      "GreaterEqual", "LogicalAnd", "LogicalOr", "LogicalNot", "Select", "SelectV2", "IsNan", "IsFinite",
      // reductions
      "Mean", "Sum", "Max", "Min", "Prod", "ArgMax", "ArgMin", "All", "Any", "Cumsum", "Cumprod",
      // neural-network ops
      "Conv2D", "Conv2DBackpropInput", "Conv3D", "Conv3DBackpropInputV2", "DepthwiseConv2dNative",
      "DepthwiseConv2dNativeBackpropInput", "BiasAdd", "BiasAddV1", "Relu", "Relu6", "Elu", "Selu", "LeakyRelu",
      "Softplus", "Softsign", "Softmax", "LogSoftmax", "MaxPool", "MaxPoolV2", "AvgPool", "FusedBatchNorm",
      "FusedBatchNormV2", "FusedBatchNormV3", "LRN", "MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3",
      "Einsum", "DepthToSpace", "SpaceToDepth", "Dilation2D",
      // image resizing
      "ResizeBilinear", "ResizeBicubic", "ResizeNearestNeighbor", "ResizeArea", "ScaleAndTranslate",
      // array manipulation
      "Reshape", "Shape", "ShapeN", "Size", "Rank", "ExpandDims", "Squeeze", "Transpose", "ConcatV2", "Concat",
      "Split", "SplitV", "Slice", "StridedSlice", "Pack", "Unpack", "Pad", "PadV2", "MirrorPad", "Tile", "Range",
      "Gather", "GatherV2", "GatherNd", "Reverse", "ReverseV2", "BroadcastTo", "BroadcastArgs",
      "BroadcastGradientArgs", "OneHot", "ExtractImagePatches", "Where", "Bitcast", "ResourceGather",
      // TF1 conditionals (dataflow selection, no function bodies) and random numbers (dropout)
      "Switch", "Merge", "RandomUniform", "RandomStandardNormal", "TruncatedNormal", "StatelessRandomUniformV2",
      "StatelessRandomGetKeyCounter", "StatelessRandomUniform",
      // calls: their bodies are checked
      "StatefulPartitionedCall", "PartitionedCall");
  /** Reading a checkpoint: the loader's restore. */
  public static final Set<String> CHECKPOINT_READ = Set.of("RestoreV2", "Restore", "RestoreSlice");
  /** Writing a checkpoint: the saver's save, run only when srtune exports (it feeds the file prefix). */
  public static final Set<String> CHECKPOINT_WRITE = Set.of("SaveV2", "Save", "SaveSlices", "MergeV2Checkpoints");
  /** The string ops a saver makes its file names with. */
  public static final Set<String> CHECKPOINT_NAMES = Set.of("StringJoin", "ShardedFilename", "ShardedFilespec",
      "StaticRegexFullMatch");

  private static final Set<String> RESTORE = union(TENSOR_MATH, CHECKPOINT_READ, CHECKPOINT_NAMES);
  private static final Set<String> SAVE = union(RESTORE, CHECKPOINT_WRITE);

  private OpAllowlist() {}

  /** An op a model may not run: its type, its node and where it is (the graph, or a function body). */
  public record Refused(String opType, String node, String where, String why) {
    /** One sentence for the user. */
    public String sentence(String model) {
      return model + " holds " + why + " ('" + opType + "' node '" + node + "'" + where + "); srtune runs only the "
          + "tensor math super-resolution networks are made of, so it refuses this model (nothing of it was run)";
    }
  }

  /** The first op that running {@code roots} (node names, {@code name:k} and {@code ^name} alike) would run beyond
   * {@link #TENSOR_MATH}, in the graph or in a function it calls; null where there is none. */
  public static Refused checkRun(GraphDef def, Collection<String> roots) {
    return new Walk(def).check(roots, TENSOR_MATH, false);
  }

  /**
   * Checks what a loader runs from a meta graph: the signatures' outputs and the init ops as tensor math, the
   * saver's restore with a checkpoint read, its save with a checkpoint write (see the class comment). Null where all
   * is allowed.
   */
  public static Refused checkMetaGraph(MetaGraphDef meta) {
    Walk walk = new Walk(meta.getGraphDef());
    Set<String> network = new TreeSet<>();
    for (SignatureDef sig : meta.getSignatureDefMap().values()) {
      sig.getOutputsMap().values().stream().map(TensorInfo::getName).forEach(network::add);
    }
    for (String collection : List.of("saved_model_main_op", "legacy_init_op")) {
      if (meta.getCollectionDefMap().containsKey(collection)) {
        network.addAll(meta.getCollectionDefMap().get(collection).getNodeList().getValueList());
      }
    }
    Refused r = walk.check(network, TENSOR_MATH, false);
    if (r == null && meta.hasSaverDef() && !meta.getSaverDef().getRestoreOpName().isEmpty()) {
      r = walk.check(List.of(meta.getSaverDef().getRestoreOpName()), RESTORE, true);
    }
    if (r == null && meta.hasSaverDef() && !meta.getSaverDef().getSaveTensorName().isEmpty()) {
      r = walk.check(List.of(meta.getSaverDef().getSaveTensorName()), SAVE, true);
    }
    return r;
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new HashSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return Set.copyOf(all);
  }

  /** Node name of an input reference: {@code ^a}, {@code a:1} and {@code a:out:0} (in a function body) all name a. */
  static String nodeOf(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  /** A walk over one graph and its function library. */
  private static final class Walk {
    private final Map<String, NodeDef> nodes = new HashMap<>();
    private final Map<String, FunctionDef> functions = new HashMap<>();

    Walk(GraphDef def) {
      def.getNodeList().forEach(n -> nodes.put(n.getName(), n));
      def.getLibrary().getFunctionList().forEach(f -> functions.put(f.getSignature().getName(), f));
    }

    Refused check(Collection<String> roots, Set<String> allowed, boolean checkpointContext) {
      Deque<String> todo = new ArrayDeque<>();
      roots.forEach(r -> todo.add(nodeOf(r)));
      Set<String> seen = new HashSet<>();
      Set<String> calledFunctions = new HashSet<>();
      while (!todo.isEmpty()) {
        String name = todo.poll();
        if (!seen.add(name)) {
          continue;
        }
        NodeDef n = nodes.get(name);
        if (n == null) {
          continue; // a missing node fails when TensorFlow loads the graph, before anything runs
        }
        Refused r = checkNode(n, "", allowed, checkpointContext, calledFunctions);
        if (r != null) {
          return r;
        }
        n.getInputList().forEach(i -> todo.add(nodeOf(i)));
      }
      // Every function a checked node calls, and every function those call.
      Deque<String> fnTodo = new ArrayDeque<>(calledFunctions);
      Set<String> fnSeen = new HashSet<>();
      while (!fnTodo.isEmpty()) {
        String f = fnTodo.poll();
        if (!fnSeen.add(f)) {
          continue;
        }
        FunctionDef fn = functions.get(f);
        if (fn == null) {
          continue; // an op type, or a missing function TensorFlow itself refuses to load
        }
        Set<String> inner = new HashSet<>();
        for (NodeDef n : fn.getNodeDefList()) {
          Refused r = checkNode(n, " in function '" + f + "'", allowed, checkpointContext, inner);
          if (r != null) {
            return r;
          }
        }
        fnTodo.addAll(inner);
      }
      return null;
    }

    private Refused checkNode(NodeDef n, String where, Set<String> allowed, boolean checkpointContext,
        Set<String> calls) {
      String op = n.getOp();
      if (functions.containsKey(op)) { // a function called as an op type
        calls.add(op);
        return null;
      }
      if (!allowed.contains(op)) {
        String why = CHECKPOINT_WRITE.contains(op) ? "a checkpoint write outside the saver's save"
            : CHECKPOINT_READ.contains(op) || CHECKPOINT_NAMES.contains(op)
                ? "a checkpoint op outside the saver" : "an op that is not tensor math";
        return new Refused(op, n.getName(), where, why);
      }
      for (AttrValue a : n.getAttrMap().values()) {
        if (a.hasFunc()) {
          calls.add(a.getFunc().getName());
        }
        a.getList().getFuncList().forEach(f -> calls.add(f.getName()));
      }
      if (checkpointContext && op.equals("Const")) {
        for (com.google.protobuf.ByteString b : n.getAttrMap().getOrDefault("value", AttrValue.getDefaultInstance())
            .getTensor().getStringValList()) {
          String s = b.toStringUtf8();
          if (s.startsWith("/") || s.startsWith("~") || s.contains("..") || s.contains("://")) {
            return new Refused(op, n.getName(), where, "a file name of its own for the checkpoint ('" + s + "')");
          }
        }
      }
      return null;
    }
  }
}
