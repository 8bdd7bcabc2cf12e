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

  /**
   * A tanh output spans [−1, 1], but a network may have been trained to use only its [0, 1] half (Fast-SRGAN's
   * October 2019 generator returns the image itself): the mapping whose result is nearer the bicubic upscaling of
   * a smooth test image is taken, (out + 1) / 2 on a tie; both distances are said in {@code chosen}.
   */
  static NetworkAdapters chooseForTanh(org.tensorflow.Session session, NodeIndex index, Endpoints.Chosen io,
      TensorRef output, NetworkAdapters adapters, int scale, PreUpsampling pre, java.util.List<String> chosen) {
    NetworkAdapters signed = adapters.withSignedOutput();
    double asIs = InputRoles.errors(session, index, io, output, adapters, scale, pre)[0];
    double mapped = InputRoles.errors(session, index, io, output, signed, scale, pre)[0];
    boolean useSigned = !(asIs < mapped);
    chosen.add(String.format(java.util.Locale.ROOT, "output range %s (the output is a tanh; measured on a smooth "
        + "test image, (out + 1) / 2 is %.3f from the bicubic upscaling and out itself %.3f, normalised RMS)",
        useSigned ? "[-1,1], mapped to [0,1] as (out + 1) / 2" : "[0,1], taken as it is", mapped, asIs));
    return useSigned ? signed : adapters;
  }

  static boolean endsInTanh(NodeIndex index, TensorRef output) {
    NodeDef n = index.node(output.node());
    for (int hops = 0; n != null && hops < 8 && PASS_ON.contains(n.getOp()); hops++) {
      var ins = NodeIndex.dataInputs(n);
      n = ins.isEmpty() ? null : index.node(ins.get(0).node());
    }
    return n != null && n.getOp().equals("Tanh");
  }
}
