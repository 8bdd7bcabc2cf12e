package dev.srtune.graph.tfimport;

import java.util.Set;
import org.tensorflow.proto.NodeDef;

/**
 * The value range a network's output shows in its graph: a final {@code Tanh} (GAN generators such as SRGAN and
 * Fast-SRGAN) means [−1, 1]; stepped back over ops that only pass the value on.
 */
final class OutputRange {
  private static final Set<String> PASS_ON = Set.of("Identity", "StopGradient", "Snapshot");

  private OutputRange() {}

  static boolean endsInTanh(NodeIndex index, TensorRef output) {
    NodeDef n = index.node(output.node());
    for (int hops = 0; n != null && hops < 8 && PASS_ON.contains(n.getOp()); hops++) {
      var ins = NodeIndex.dataInputs(n);
      n = ins.isEmpty() ? null : index.node(ins.get(0).node());
    }
    return n != null && n.getOp().equals("Tanh");
  }
}
