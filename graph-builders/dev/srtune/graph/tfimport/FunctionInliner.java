package dev.srtune.graph.tfimport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpList;

/**
 * Replaces the function calls a TF2/Keras graph wraps its network in ({@code StatefulPartitionedCall},
 * {@code PartitionedCall}, or a node whose op is a library function) by the function's body, recursively, so the
 * network is plain ops again and {@code addGradients} can use TensorFlow's full gradient registry (through a call op
 * it can only use a smaller one, which lacks DepthToSpace, LeakyRelu, the resizes...).
 *
 * <p>A body node {@code n} of call {@code C} becomes {@code C/n}; a reference to the function's argument {@code a}
 * becomes the call's matching input (so a captured variable's handle reaches the body's {@code ReadVariableOp}
 * directly); a body reference {@code n:arg:i} (FunctionDef's form: output arg {@code arg} of node {@code n}) becomes
 * the flat output index TensorFlow's OpDef gives it; and every consumer of {@code C:k} reads the tensor the function
 * returns as its k-th result. A {@code NoOp} keeps the call's name for control dependencies on it. Only calls the
 * requested tensor depends on are inlined (the save and restore functions of a SavedModel stay as they are).
 */
final class FunctionInliner {
  /** The ops that call the function named by their {@code f} attribute. */
  private static final Set<String> CALL_OPS = Set.of("StatefulPartitionedCall", "PartitionedCall");
  /** Calls nested deeper than this are taken for a recursive function. */
  private static final int MAX_CALLS = 10_000;
  private static volatile Map<String, OpDef> registry;

  /**
   * @param def the graph without the calls on the way to the requested tensor (function library kept)
   * @param inlined how many calls were replaced
   */
  record Result(GraphDef def, int inlined, Map<TensorRef, TensorRef> renamed) {
    /** Where the tensor {@code r} of the original graph is now. */
    TensorRef resolve(TensorRef r) {
      TensorRef t = r;
      for (int hops = 0; renamed.containsKey(t) && hops < MAX_CALLS; hops++) {
        t = renamed.get(t);
      }
      return t;
    }
  }

  private final Map<String, FunctionDef> library = new HashMap<>();
  private final Map<String, NodeDef> nodes = new LinkedHashMap<>();
  private final Map<TensorRef, TensorRef> renamed = new HashMap<>();

  private FunctionInliner(GraphDef def) {
    def.getLibrary().getFunctionList().forEach(f -> library.put(f.getSignature().getName(), f));
    def.getNodeList().forEach(n -> nodes.put(n.getName(), n));
  }

  /** Inlines every call {@code output} depends on. */
  static Result inline(GraphDef def, TensorRef output) {
    FunctionInliner in = new FunctionInliner(def);
    int count = 0;
    for (String call = in.nextCall(output); call != null; call = in.nextCall(output)) {
      if (++count > MAX_CALLS) {
        throw new GraphImportException("The graph's functions call each other more than " + MAX_CALLS
            + " times on the way to '" + output.format() + "' (a recursive function?); export the network "
            + "without recursion.");
      }
      in.inlineCall(in.nodes.get(call));
    }
    GraphDef.Builder b = def.toBuilder().clearNode();
    in.nodes.values().forEach(b::addNode);
    return new Result(b.build(), count, in.renamed);
  }

  /** The first call node {@code output} depends on, or null. */
  private String nextCall(TensorRef output) {
    TensorRef out = new Result(null, 0, renamed).resolve(output);
    NodeIndex index = new NodeIndex(GraphDef.newBuilder().addAllNode(nodes.values()).build());
    for (String name : index.ancestorsOf(out.node())) {
      if (functionOf(nodes.get(name)) != null) {
        return name;
      }
    }
    return null;
  }

  /** The library function {@code n} calls, or null when it is a plain op. */
  private FunctionDef functionOf(NodeDef n) {
    if (CALL_OPS.contains(n.getOp())) {
      String f = n.getAttrOrThrow("f").getFunc().getName();
      FunctionDef def = library.get(f);
      if (def == null) {
        throw new GraphImportException("The graph calls a function '" + f + "' that its library does not hold; "
            + "export the SavedModel again with its functions.");
      }
      return def;
    }
    return library.get(n.getOp());
  }

  private void inlineCall(NodeDef call) {
    FunctionDef f = functionOf(call);
    String prefix = call.getName() + "/";
    var sig = f.getSignature();
    List<String> dataInputs = new ArrayList<>();
    List<String> controlInputs = new ArrayList<>();
    for (String s : call.getInputList()) {
      (s.startsWith("^") ? controlInputs : dataInputs).add(s);
    }
    if (sig.getInputArgCount() != dataInputs.size()) {
      throw new GraphImportException("The call '" + call.getName() + "' passes " + dataInputs.size() + " inputs to "
          + "function '" + sig.getName() + "', which takes " + sig.getInputArgCount() + "; the SavedModel is "
          + "inconsistent, export it again.");
    }
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < sig.getInputArgCount(); i++) {
      var arg = sig.getInputArg(i);
      if (!arg.getNumberAttr().isEmpty() || !arg.getTypeListAttr().isEmpty()) {
        throw new GraphImportException("Function '" + sig.getName() + "' takes a list argument ('" + arg.getName()
            + "'), which srtune cannot inline; export the network with plain tensor arguments.");
      }
      args.put(arg.getName(), dataInputs.get(i));
    }
    Map<String, NodeDef> body = new HashMap<>();
    f.getNodeDefList().forEach(n -> body.put(n.getName(), n));
    nodes.remove(call.getName());
    for (NodeDef n : f.getNodeDefList()) {
      for (Map.Entry<String, AttrValue> a : n.getAttrMap().entrySet()) {
        if (!a.getValue().getPlaceholder().isEmpty()) {
          throw new GraphImportException("Function '" + sig.getName() + "' is generic (its node '" + n.getName()
              + "' takes attribute '" + a.getKey() + "' from the call); export a concrete function.");
        }
      }
      NodeDef.Builder b = n.toBuilder().setName(prefix + n.getName()).clearInput().clearDevice().removeAttr("_class");
      boolean hasData = false;
      for (String in : n.getInputList()) {
        if (in.startsWith("^")) {
          b.addInput("^" + prefix + in.substring(1));
        } else {
          b.addInput(bodyReference(in, prefix, args, body, sig.getName()));
          hasData = true;
        }
      }
      if (!hasData) {
        b.addAllInput(controlInputs); // what the call waited for, its sources wait for
      }
      nodes.put(b.getName(), b.build());
    }
    // The call's results: each output arg maps to a tensor of the body.
    List<String> results = new ArrayList<>();
    for (int k = 0; k < sig.getOutputArgCount(); k++) {
      String ret = f.getRetMap().get(sig.getOutputArg(k).getName());
      String r = bodyReference(ret, prefix, args, body, sig.getName());
      results.add(r);
      renamed.put(new TensorRef(call.getName(), k, false), TensorRef.parse(r));
    }
    NodeDef.Builder done = NodeDef.newBuilder().setName(call.getName()).setOp("NoOp");
    results.forEach(r -> done.addInput("^" + TensorRef.parse(r).node()));
    f.getControlRetMap().values().forEach(n -> done.addInput("^" + prefix + n));
    nodes.put(call.getName(), done.build());
    rewireConsumers(call.getName());
  }

  /** Body reference ({@code arg}, {@code n:out_arg:i}) → graph reference ({@code node[:k]}). */
  private String bodyReference(String ref, String prefix, Map<String, String> args, Map<String, NodeDef> body,
      String function) {
    String[] parts = ref.split(":");
    if (parts.length == 1 || (parts.length == 2 && args.containsKey(parts[0]))) {
      String a = args.get(parts[0]);
      if (a == null) {
        throw new GraphImportException("Function '" + function + "' refers to '" + ref + "', which is neither an "
            + "argument nor a node output; the SavedModel is inconsistent, export it again.");
      }
      return a;
    }
    NodeDef producer = body.get(parts[0]);
    if (producer == null || parts.length != 3) {
      throw new GraphImportException("Function '" + function + "' refers to '" + ref + "', which is not a node "
          + "output of it; the SavedModel is inconsistent, export it again.");
    }
    int flat = outputOffset(producer, parts[1], function) + Integer.parseInt(parts[2]);
    return new TensorRef(prefix + parts[0], flat, false).format();
  }

  /** Where output arg {@code argName} of {@code n} starts among its flat outputs. */
  private int outputOffset(NodeDef n, String argName, String function) {
    List<OpDef.ArgDef> outs;
    Map<String, AttrValue> defaults = new HashMap<>();
    FunctionDef called = library.get(n.getOp());
    if (called != null) {
      outs = called.getSignature().getOutputArgList();
    } else if (CALL_OPS.contains(n.getOp())) {
      // A call's single output arg "output" is the list of its results.
      return 0;
    } else {
      OpDef op = registry().get(n.getOp());
      if (op == null) {
        throw new GraphImportException("Function '" + function + "' uses op " + n.getOp() + ", which TensorFlow "
            + org.tensorflow.TensorFlow.version() + " does not know; export it with ops this runtime knows.");
      }
      outs = op.getOutputArgList();
      op.getAttrList().forEach(a -> defaults.put(a.getName(), a.getDefaultValue()));
    }
    int offset = 0;
    for (OpDef.ArgDef a : outs) {
      if (a.getName().equals(argName)) {
        return offset;
      }
      AttrValue number = attr(n, a.getNumberAttr(), defaults);
      AttrValue types = attr(n, a.getTypeListAttr(), defaults);
      offset += number != null ? (int) number.getI() : types != null ? types.getList().getTypeCount() : 1;
    }
    throw new GraphImportException("Node '" + n.getName() + "' of function '" + function + "' has no output '"
        + argName + "'; the SavedModel is inconsistent, export it again.");
  }

  private static AttrValue attr(NodeDef n, String name, Map<String, AttrValue> defaults) {
    if (name.isEmpty()) {
      return null;
    }
    return n.getAttrMap().getOrDefault(name, defaults.get(name));
  }

  /** Points every reference to {@code call:k} at the k-th result, leaving {@code ^call} on the NoOp. */
  private void rewireConsumers(String call) {
    for (Map.Entry<String, NodeDef> e : nodes.entrySet()) {
      NodeDef n = e.getValue();
      boolean touches = n.getInputList().stream().anyMatch(s -> !s.startsWith("^") && TensorRef.parse(s).node()
          .equals(call));
      if (!touches) {
        continue;
      }
      NodeDef.Builder b = n.toBuilder().clearInput();
      for (String s : n.getInputList()) {
        TensorRef r = TensorRef.parse(s);
        b.addInput(!r.control() && r.node().equals(call) ? renamed.get(r).format() : s);
      }
      e.setValue(b.build());
    }
  }

  /** Every op TensorFlow's runtime has registered, by name (read once from the C API). */
  private static Map<String, OpDef> registry() {
    Map<String, OpDef> r = registry;
    if (r == null) {
      synchronized (FunctionInliner.class) {
        if (registry == null) {
          var buffer = org.tensorflow.internal.c_api.global.tensorflow.TF_GetAllOpList();
          try {
            Map<String, OpDef> m = new HashMap<>();
            OpList.parseFrom(buffer.copyData()).getOpList().forEach(op -> m.put(op.getName(), op));
            registry = m;
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("TensorFlow's op list cannot be read", e);
          } finally {
            org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer(buffer);
          }
        }
        r = registry;
      }
    }
    return r;
  }
}
