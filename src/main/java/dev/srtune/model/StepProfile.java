package dev.srtune.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Where one session run spends its time, by the kernel that ran (the op types of the executed partition graphs, so
 * oneDNN's rewrites show as themselves, e.g. {@code _MklNativeConv2DBackpropFilterWithBias}): TensorFlow's own trace
 * ({@code FULL_TRACE} step stats), each node's compute time from its start to its end. srtune runs ops one at a
 * time, so the times add up to about the run's compute time.
 *
 * @param millisByKernel kernel type → milliseconds, largest first
 * @param totalMillis the sum over all nodes
 */
public record StepProfile(Map<String, Double> millisByKernel, double totalMillis) {
  /** Traces one run that {@code configure} sets up on a fresh runner of {@code session}; the run happens for real. */
  public static StepProfile of(Session session, UnaryOperator<Session.Runner> configure) {
    RunOptions options = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
        .setOutputPartitionGraphs(true).build();
    RunMetadata metadata;
    try (Result r = configure.apply(session.runner()).setOptions(options).runAndFetchMetadata()) {
      metadata = r.getMetadata().orElse(RunMetadata.getDefaultInstance());
    }
    Map<String, String> kernel = new HashMap<>();
    for (GraphDef g : metadata.getPartitionGraphsList()) {
      for (NodeDef n : g.getNodeList()) {
        kernel.put(n.getName(), n.getOp());
      }
    }
    Map<String, Double> ms = new HashMap<>();
    double total = 0;
    for (DeviceStepStats d : metadata.getStepStats().getDevStatsList()) {
      for (NodeExecStats n : d.getNodeStatsList()) {
        double t = (n.getOpEndRelMicros() - n.getOpStartRelMicros()) / 1e3;
        ms.merge(kernel.getOrDefault(n.getNodeName(), "other"), t, Double::sum);
        total += t;
      }
    }
    List<Map.Entry<String, Double>> sorted = new ArrayList<>(ms.entrySet());
    sorted.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    Map<String, Double> byKernel = new LinkedHashMap<>();
    sorted.forEach(e -> byKernel.put(e.getKey(), e.getValue()));
    return new StepProfile(byKernel, total);
  }

  /** One line: the {@code top} kernels with their milliseconds and share, and the total. */
  public String summary(int top) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    for (Map.Entry<String, Double> e : millisByKernel.entrySet()) {
      if (i++ == top) {
        break;
      }
      sb.append(i == 1 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f ms (%.0f%%)", e.getKey(),
          e.getValue(), totalMillis > 0 ? 100 * e.getValue() / totalMillis : 0));
    }
    return sb.append(String.format(Locale.ROOT, "; %.1f ms in all", totalMillis)).toString();
  }
}
