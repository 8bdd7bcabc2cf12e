package dev.srtune.graph.tfjs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.srtune.graph.safety.OpAllowlist;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * Keras' {@code TensorFlowOpLayer}: a raw TensorFlow op recorded as a {@code NodeDef} in the layer config (what
 * {@code tf.nn.depth_to_space} on a Keras tensor leaves in a TF 2.0/2.1 model). It is built as that op: its inputs
 * are the layer's inbound tensors, with the config's {@code constants} at their input indices, and its attributes
 * are the NodeDef's. A model is untrusted input, so the op must be plain tensor math ({@link OpAllowlist}) and
 * stateless: no variable, call or random op.
 */
final class TensorFlowOpLayer {
  private TensorFlowOpLayer() {}

  /** Tensor math a layer has no business holding: state, calls and randomness. */
  private static final Set<String> NOT_IN_A_LAYER = Set.of("VariableV2", "Variable", "VarHandleOp",
      "ReadVariableOp", "Assign", "AssignAdd", "AssignSub", "AssignVariableOp", "AssignAddVariableOp",
      "AssignSubVariableOp", "StatefulPartitionedCall", "PartitionedCall", "RandomUniform", "RandomStandardNormal",
      "TruncatedNormal", "Placeholder", "PlaceholderWithDefault", "ResourceGather", "Switch", "Merge");

  static Operand<TFloat32> build(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    JsonObject node = l.config().getAsJsonObject("node_def");
    if (node == null || !node.has("op")) {
      throw new TfjsModelException("TensorFlowOpLayer '" + l.name() + "' holds no node_def.");
    }
    String op = node.get("op").getAsString();
    if (!OpAllowlist.TENSOR_MATH.contains(op) || NOT_IN_A_LAYER.contains(op)) {
      throw new TfjsModelException("Layer '" + l.name() + "' is a TensorFlowOpLayer running '" + op + "', which is "
          + "not stateless tensor math; srtune refuses the model (nothing of it was run).");
    }
    Map<Integer, JsonElement> constants = new TreeMap<>();
    if (l.config().has("constants") && l.config().get("constants").isJsonObject()) {
      l.config().getAsJsonObject("constants").entrySet()
          .forEach(e -> constants.put(Integer.parseInt(e.getKey()), e.getValue()));
    }
    List<Output<?>> inputs = new ArrayList<>();
    int next = 0;
    int count = in.size() + constants.size();
    for (int i = 0; i < count; i++) {
      JsonElement c = constants.get(i);
      if (c != null) {
        inputs.add(constant(s, c, l).asOutput());
      } else if (next < in.size()) {
        inputs.add(in.get(next++).asOutput());
      }
    }
    OperationBuilder b = s.scope().opBuilder(op, op);
    inputs.forEach(b::addInput);
    if (node.has("attr")) {
      for (Map.Entry<String, JsonElement> a : node.getAsJsonObject("attr").entrySet()) {
        b.setAttr(a.getKey(), attr(a.getValue().getAsJsonObject(), l));
      }
    }
    Operation built;
    try {
      built = b.build();
    } catch (RuntimeException e) {
      throw new TfjsModelException("TensorFlowOpLayer '" + l.name() + "' ('" + op + "') cannot be built ("
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ").", e);
    }
    if (built.numOutputs() < 1 || built.output(0).dataType() != DataType.DT_FLOAT) {
      throw new TfjsModelException("TensorFlowOpLayer '" + l.name() + "' ('" + op + "') does not return a float "
          + "tensor.");
    }
    return built.output(0);
  }

  /** A constant input: integers as int32 (shapes, axes), other numbers as float32. */
  private static Operand<?> constant(Ops s, JsonElement c, KerasLayer l) {
    List<String> flat = new ArrayList<>();
    List<Long> shape = new ArrayList<>();
    flatten(c, flat, shape, 0);
    long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
    boolean integers = flat.stream().noneMatch(v -> v.contains(".") || v.contains("e") || v.contains("E"));
    if (integers) {
      int[] v = flat.stream().mapToInt(Integer::parseInt).toArray();
      return s.constant(org.tensorflow.ndarray.Shape.of(dims), org.tensorflow.ndarray.buffer.DataBuffers.of(v, true,
          false));
    }
    float[] v = new float[flat.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = Float.parseFloat(flat.get(i));
    }
    return s.constant(org.tensorflow.ndarray.Shape.of(dims), org.tensorflow.ndarray.buffer.DataBuffers.of(v, true,
        false));
  }

  private static void flatten(JsonElement e, List<String> flat, List<Long> shape, int depth) {
    if (e.isJsonArray()) {
      JsonArray a = e.getAsJsonArray();
      if (shape.size() == depth) {
        shape.add((long) a.size());
      }
      a.forEach(x -> flatten(x, flat, shape, depth + 1));
    } else {
      flat.add(e.getAsJsonPrimitive().getAsString());
    }
  }

  /** A NodeDef attribute in protobuf's JSON mapping (bytes in base64, int64 as strings). */
  private static AttrValue attr(JsonObject a, KerasLayer l) {
    AttrValue.Builder b = AttrValue.newBuilder();
    if (a.has("s")) {
      b.setS(com.google.protobuf.ByteString.copyFrom(Base64.getDecoder().decode(a.get("s").getAsString())));
    } else if (a.has("i")) {
      b.setI(a.get("i").getAsLong());
    } else if (a.has("f")) {
      b.setF(a.get("f").getAsFloat());
    } else if (a.has("b")) {
      b.setB(a.get("b").getAsBoolean());
    } else if (a.has("type")) {
      b.setType(DataType.valueOf(a.get("type").getAsString()));
    } else if (a.has("shape")) {
      b.setShape(shape(a.getAsJsonObject("shape")));
    } else if (a.has("list")) {
      JsonObject list = a.getAsJsonObject("list");
      AttrValue.ListValue.Builder lb = AttrValue.ListValue.newBuilder();
      if (list.has("i")) {
        list.getAsJsonArray("i").forEach(x -> lb.addI(x.getAsLong()));
      }
      if (list.has("f")) {
        list.getAsJsonArray("f").forEach(x -> lb.addF(x.getAsFloat()));
      }
      if (list.has("type")) {
        list.getAsJsonArray("type").forEach(x -> lb.addType(DataType.valueOf(x.getAsString())));
      }
      if (list.has("s")) {
        list.getAsJsonArray("s").forEach(x -> lb.addS(com.google.protobuf.ByteString.copyFrom(
            Base64.getDecoder().decode(x.getAsString()))));
      }
      b.setList(lb);
    } else {
      throw new TfjsModelException("TensorFlowOpLayer '" + l.name() + "' has an attribute srtune cannot read ("
          + a + ").");
    }
    return b.build();
  }

  private static TensorShapeProto shape(JsonObject s) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    if (s.has("unknownRank") && s.get("unknownRank").getAsBoolean()) {
      return b.setUnknownRank(true).build();
    }
    if (s.has("dim")) {
      s.getAsJsonArray("dim").forEach(d -> b.addDim(TensorShapeProto.Dim.newBuilder().setSize(
          d.getAsJsonObject().has("size") ? d.getAsJsonObject().get("size").getAsLong() : 0)));
    }
    return b.build();
  }
}
