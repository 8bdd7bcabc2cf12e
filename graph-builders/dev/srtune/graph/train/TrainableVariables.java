package dev.srtune.graph.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.proto.DataType;

/** Finds the float variables an output depends on, of both kinds. */
public final class TrainableVariables {
  private TrainableVariables() {}

  /**
   * The float32 variables (VariableV2 or VarHandleOp) in the subgraph that computes {@code output}, sorted by
   * name. Variables srtune added itself (under {@code excludePrefix}) are skipped.
   */
  public static List<ModelVariable> feeding(Graph graph, Operand<?> output, String excludePrefix) {
    Set<GraphOperation> ops = graph.subgraphTo(Set.of(output));
    List<ModelVariable> vars = new ArrayList<>();
    for (GraphOperation op : ops) {
      String type = op.type();
      boolean ref = type.equals("VariableV2") || type.equals("Variable");
      boolean resource = type.equals("VarHandleOp");
      if (!ref && !resource) {
        continue;
      }
      if (excludePrefix != null && op.name().startsWith(excludePrefix)) {
        continue;
      }
      if (op.attributes().getAttrType("dtype") != DataType.DT_FLOAT) {
        continue;
      }
      vars.add(new ModelVariable(op, resource, op.attributes().getAttrShape("shape")));
    }
    vars.sort(Comparator.comparing(ModelVariable::name));
    return vars;
  }
}
