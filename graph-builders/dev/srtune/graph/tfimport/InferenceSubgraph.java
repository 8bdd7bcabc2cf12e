package dev.srtune.graph.tfimport;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Cuts out of a graph the nodes the output needs (so training ops, gradients, queues, summaries and savers go), renames
 * them under {@value #PREFIX}, binds the input placeholder (and a second one fed with the bicubic upscaling of the
 * LR) to a tensor outside the network (where srtune's input adapters end), and makes every weight a ref variable ({@code VariableV2}), the kind srtune's exporter saves:
 * thawed constants, TF1 ref variables and resource variables alike (a {@code VarHandleOp} becomes a variable, its
 * {@code ReadVariableOp} an {@code Identity}). Device placements and colocation hints are dropped; they name nodes
 * and machines the new graph does not have.
 */
final class InferenceSubgraph {
  static final String PREFIX = "net/";
  /** Appended to the external input's name for the node feeding a second input the bicubic upscaling of the LR. */
  static final String BICUBIC_SUFFIX = "_bicubic";

  /**
   * @param def the rewritten GraphDef (versions and function library kept)
   * @param variables original names of the nodes that are variables in it, in graph order
   * @param output the output tensor under its new name
   */
  record Result(GraphDef def, List<String> variables, TensorRef output, boolean bicubicInput, boolean inputNchw,
      boolean outputNchw) {
    Result(GraphDef def, List<String> variables, TensorRef output) {
      this(def, variables, output, false, false, false);
    }

    /** The same network in another GraphDef (its function library dropped, say). */
    Result withDef(GraphDef d) {
      return new Result(d, variables, output, bicubicInput, inputNchw, outputNchw);
    }
  }

  private InferenceSubgraph() {}

  /**
   * @param thaw names of float constants to turn into variables
   * @param externalInput name of the node outside the network that feeds the network's input (and, with
   *     {@value #BICUBIC_SUFFIX} appended, its bicubic input)
   */
  static Result extract(GraphDef original, NodeIndex index, Endpoints.Chosen io, Set<String> thaw,
      String externalInput) {
    Set<String> inputs = new java.util.HashSet<>(java.util.Arrays.asList(io.input(), io.bicubicInput()));
    inputs.remove(null);
    Set<String> keep = index.ancestorsOf(io.output().node(), inputs);
    GraphDef.Builder out = original.toBuilder().clearNode();
    List<String> variables = new ArrayList<>();
    for (NodeDef n : original.getNodeList()) {
      String name = n.getName();
      if (!keep.contains(name)) {
        continue;
      }
      NodeDef.Builder b;
      if (name.equals(io.input()) || name.equals(io.bicubicInput())) {
        b = NodeDef.newBuilder().setOp("Identity").putAttr("T", type(DataType.DT_FLOAT))
            .addInput(name.equals(io.input()) ? externalInput : externalInput + BICUBIC_SUFFIX);
      } else if (thaw.contains(name)) {
        b = variable(DataType.DT_FLOAT, n.getAttrOrThrow("value").getTensor().getTensorShape());
        variables.add(name);
      } else if (n.getOp().equals("VarHandleOp") || n.getOp().equals("VariableV2") || n.getOp().equals("Variable")) {
        if (n.getOp().equals("VarHandleOp")) {
          // Its handle becomes a ref variable's value: only plain reads survive that.
          index.consumers(name).stream().filter(keep::contains).map(index::node)
              .filter(c -> !c.getOp().equals("ReadVariableOp")).findFirst().ifPresent(c -> {
                throw new GraphImportException("The network uses its variable '" + name + "' through a " + c.getOp()
                    + " op ('" + c.getName() + "'), which srtune cannot turn into a plain read; export the network "
                    + "with its variables read by ReadVariableOp.");
              });
        }
        b = variable(n.getAttrOrThrow("dtype").getType(), n.getAttrOrThrow("shape").getShape());
        variables.add(name);
      } else if (n.getOp().equals("ReadVariableOp")) {
        b = NodeDef.newBuilder().setOp("Identity").putAttr("T", n.getAttrOrThrow("dtype"));
        b.addInput(PREFIX + NodeIndex.dataInputs(n).get(0).node());
      } else {
        b = n.toBuilder().clearInput().clearDevice().removeAttr("_class");
        for (String s : n.getInputList()) {
          TensorRef r = TensorRef.parse(s);
          if (keep.contains(r.node())) {
            b.addInput(r.withNode(PREFIX + r.node()).format());
          }
        }
      }
      out.addNode(b.setName(PREFIX + name));
    }
    return new Result(out.build(), variables, io.output().withNode(PREFIX + io.output().node()),
        io.bicubicInput() != null, io.inputNchw(), io.outputNchw());
  }

  private static NodeDef.Builder variable(DataType dtype, TensorShapeProto shape) {
    return NodeDef.newBuilder().setOp("VariableV2").putAttr("dtype", type(dtype))
        .putAttr("shape", AttrValue.newBuilder().setShape(shape).build())
        .putAttr("container", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.EMPTY).build())
        .putAttr("shared_name", AttrValue.newBuilder().setS(com.google.protobuf.ByteString.EMPTY).build());
  }

  private static AttrValue type(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }
}
