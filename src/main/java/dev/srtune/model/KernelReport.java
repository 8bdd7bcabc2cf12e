package dev.srtune.model;

import dev.srtune.graph.savedmodel.SrSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.SignatureDef;

/**
 * Which kernels TensorFlow ran the convolutions of one step with, and what decided it.
 *
 * <p>The op types come from the step's partition graphs, i.e. after TensorFlow's graph rewrites: with oneDNN on,
 * a {@code Conv2DBackpropFilter} runs as {@code _MklNativeConv2DBackpropFilter} (or a fused {@code ...WithBias}),
 * a forward {@code Conv2D} as {@code _MklNativeConv2D}/{@code _MklNativeFusedConv2D}; with it off they stay
 * {@code Conv2DBackpropFilter}/{@code Conv2DBackpropInput} and {@code Conv2D}/{@code _FusedConv2D} (Eigen), and a
 * fine-tuning iteration is several times slower (7-9x measured on EnhanceNet, docs/speed.md). TensorFlow 2.18 turns oneDNN on by itself only
 * on CPUs with one of {@link #ONEDNN_CPU_FLAGS}; elsewhere only {@value #ONEDNN_ENV}=1, set before its native
 * library loads, does.
 *
 * @param forward op type → count of the forward convolutions that ran
 * @param backward op type → count of the gradient convolutions that ran (empty when the step had none)
 * @param onednnEnv the value of {@value #ONEDNN_ENV} in this process's environment, or null when unset
 * @param cpuFlags which of {@link #ONEDNN_CPU_FLAGS} {@code /proc/cpuinfo} lists (empty where it is unreadable)
 */
public record KernelReport(SortedMap<String, Integer> forward, SortedMap<String, Integer> backward, String onednnEnv,
    List<String> cpuFlags) {

  public static final String ONEDNN_ENV = "TF_ENABLE_ONEDNN_OPTS";
  /** The CPU features on which TensorFlow 2.18 (Linux) turns oneDNN on without {@value #ONEDNN_ENV}. */
  public static final List<String> ONEDNN_CPU_FLAGS =
      List.of("avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16");

  private static final Pattern CONVOLUTION = Pattern.compile("(?i)conv[123]d");
  private static final Pattern BACKWARD = Pattern.compile("(?i)backprop");
  private static final Pattern UPDATE = Pattern.compile("^(Resource)?(Sparse)?Apply");

  public KernelReport {
    forward = Collections.unmodifiableSortedMap(new TreeMap<>(forward));
    backward = Collections.unmodifiableSortedMap(new TreeMap<>(backward));
    cpuFlags = List.copyOf(cpuFlags);
  }

  /**
   * Runs one step that {@code configure} sets up on a fresh runner of {@code session} (feeds, fetches, targets),
   * asking TensorFlow for the partition graphs it executed, and reports the convolution kernels in them. The
   * step runs for real: whatever its targets change (e.g. weights) is changed.
   */
  public static KernelReport of(Session session, UnaryOperator<Session.Runner> configure) {
    RunOptions options = RunOptions.newBuilder().setOutputPartitionGraphs(true).build();
    Session.Runner runner = configure.apply(session.runner()).setOptions(options);
    RunMetadata metadata;
    try (Result r = runner.runAndFetchMetadata()) {
      metadata = r.getMetadata().orElse(RunMetadata.getDefaultInstance());
    }
    return of(metadata.getPartitionGraphsList());
  }

  /** The convolution kernels in {@code partitionGraphs}, with this process's oneDNN environment. */
  public static KernelReport of(List<GraphDef> partitionGraphs) {
    SortedMap<String, Integer> forward = new TreeMap<>();
    SortedMap<String, Integer> backward = new TreeMap<>();
    for (GraphDef g : partitionGraphs) {
      for (NodeDef n : g.getNodeList()) {
        String type = n.getOp();
        if (isConvolution(type)) {
          (BACKWARD.matcher(type).find() ? backward : forward).merge(type, 1, Integer::sum);
        }
      }
    }
    return new KernelReport(forward, backward, System.getenv(ONEDNN_ENV), onednnCpuFlags(Path.of("/proc/cpuinfo")));
  }

  /**
   * The backward pass of the fine-tuning graph attached to {@code bundle} (an srtune SavedModel): feeds {@code lr}
   * to the signature's input and runs the gradient convolutions and bias gradients of {@link #backwardOps}. It
   * depends only on the graph's gradients and update ops (Apply*), not on how the fine-tuner names its ops or what
   * else its step needs fed (a learning rate), and it changes no weights. With no gradients in the graph, or when
   * they need more than {@code lr} fed, it runs the forward pass only and {@link #backward()} is empty.
   */
  public static KernelReport ofBackwardPass(SavedModelBundle bundle, Tensor lr) {
    return backwardPass(bundle, lr, KernelReport::of);
  }

  /** As {@link #ofBackwardPass}, where the time of that run went, kernel by kernel. */
  public static StepProfile profileBackwardPass(SavedModelBundle bundle, Tensor lr) {
    return backwardPass(bundle, lr, StepProfile::of);
  }

  private static <T> T backwardPass(SavedModelBundle bundle, Tensor lr,
      java.util.function.BiFunction<Session, UnaryOperator<Session.Runner>, T> run) {
    SignatureDef sig = bundle.metaGraphDef().getSignatureDefMap().get(SrSignature.KEY);
    String input = sig.getInputsMap().get(SrSignature.INPUT).getName();
    String output = sig.getOutputsMap().get(SrSignature.OUTPUT).getName();
    List<String> targets = backwardOps(bundle.graph());
    if (!targets.isEmpty()) {
      try {
        return run.apply(bundle.session(), r -> {
          r.feed(input, lr);
          targets.forEach(r::addTarget);
          return r;
        });
      } catch (TensorFlowException e) {
        // e.g. a gradient that needs another placeholder fed: fall through to the forward pass
      }
    }
    return run.apply(bundle.session(), r -> r.feed(input, lr).fetch(output));
  }

  /**
   * Names of the gradient convolutions and bias gradients that the graph's update ops (Apply*, ResourceApply*)
   * depend on, i.e. those a training step runs; without update ops, every one in the graph. (Graph.addGradients
   * also adds gradients nobody needs, e.g. with respect to the operator's fixed kernels; a step prunes them.)
   */
  public static List<String> backwardOps(Graph graph) {
    List<GraphOperation> backward = new ArrayList<>();
    Deque<GraphOperation> todo = new ArrayDeque<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (isBackward(op.type())) {
        backward.add(op);
      } else if (UPDATE.matcher(op.type()).find()) {
        todo.add(op);
      }
    }
    if (todo.isEmpty()) {
      return backward.stream().map(GraphOperation::name).toList();
    }
    Set<GraphOperation> seen = new HashSet<>(todo);
    while (!todo.isEmpty()) {
      GraphOperation op = todo.poll();
      List<GraphOperation> up = new ArrayList<>(op.controlInputs());
      op.inputs().forEach(in -> up.add((GraphOperation) in.op()));
      for (GraphOperation u : up) {
        if (seen.add(u)) {
          todo.add(u);
        }
      }
    }
    return backward.stream().filter(seen::contains).map(GraphOperation::name).toList();
  }

  private static boolean isBackward(String opType) {
    return (isConvolution(opType) && BACKWARD.matcher(opType).find()) || opType.equals("BiasAddGrad");
  }

  static boolean isConvolution(String opType) {
    return CONVOLUTION.matcher(opType).find();
  }

  /** A oneDNN kernel after TensorFlow's rewrite: {@code _Mkl...} (including {@code _MklNative...}). */
  static boolean isOnednn(String opType) {
    return opType.startsWith("_Mkl") || opType.startsWith("_OneDnn");
  }

  /** True when the step had gradient convolutions and every one of them ran as a oneDNN kernel. */
  public boolean backwardOnednn() {
    return !backward.isEmpty() && backward.keySet().stream().allMatch(KernelReport::isOnednn);
  }

  /** True when the step had forward convolutions and every one of them ran as a oneDNN kernel. */
  public boolean forwardOnednn() {
    return !forward.isEmpty() && forward.keySet().stream().allMatch(KernelReport::isOnednn);
  }

  /** Whether TensorFlow turns oneDNN on in this environment: the variable if set, else the CPU flags decide. */
  public boolean onednnExpected() {
    if (onednnEnv != null && !onednnEnv.isEmpty()) {
      return onednnEnv.equals("1") || onednnEnv.equalsIgnoreCase("true");
    }
    return !cpuFlags.isEmpty();
  }

  /**
   * One line, e.g. {@code backward convolutions ran as: _MklNativeConv2DBackpropFilter x12,
   * _MklNativeConv2DBackpropInput x12 (oneDNN); forward as: _MklNativeFusedConv2D x13 (oneDNN)}.
   */
  public String summary() {
    String fwd = "forward as: " + describe(forward);
    if (backward.isEmpty()) {
      return "backward convolutions: not measured (no gradients in the graph that run on the input alone; forward "
          + "pass only); " + fwd;
    }
    return "backward convolutions ran as: " + describe(backward) + "; " + fwd;
  }

  /** A warning line when the convolutions that matter (the backward ones, else the forward) are not oneDNN. */
  public Optional<String> warning() {
    boolean slow = backward.isEmpty() ? !forward.isEmpty() && !forwardOnednn() : !backwardOnednn();
    if (!slow) {
      return Optional.empty();
    }
    String why = onednnEnv != null && !onednnEnv.isEmpty()
        ? "it is set to " + onednnEnv + " now"
        : "it is unset and this CPU has none of " + String.join(", ", ONEDNN_CPU_FLAGS)
            + ", on which TensorFlow turns oneDNN on by itself";
    return Optional.of("WARNING: the " + (backward.isEmpty() ? "forward" : "backward")
        + " convolutions ran as TensorFlow's plain kernels, not oneDNN's (an EnhanceNet iteration was 7-9x "
        + "slower so); set " + ONEDNN_ENV + "=1 in the environment before starting srtune (" + why + ").");
  }

  private static String describe(Map<String, Integer> types) {
    if (types.isEmpty()) {
      return "none";
    }
    String list = types.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
        .collect(Collectors.joining(", "));
    long onednn = types.keySet().stream().filter(KernelReport::isOnednn).count();
    String kind = onednn == types.size() ? "oneDNN" : onednn == 0 ? "plain TensorFlow kernels" : "partly oneDNN";
    return list + " (" + kind + ")";
  }

  /**
   * Which of {@link #ONEDNN_CPU_FLAGS} the first {@code flags} line of {@code cpuinfo} lists; empty when the file
   * is missing or unreadable (not Linux, a sandbox).
   */
  static List<String> onednnCpuFlags(Path cpuinfo) {
    try {
      if (!Files.isReadable(cpuinfo)) {
        return List.of();
      }
      try (var lines = Files.lines(cpuinfo)) {
        List<String> flags = lines.filter(l -> l.startsWith("flags")).findFirst()
            .map(l -> Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))).orElse(List.of());
        return ONEDNN_CPU_FLAGS.stream().filter(flags::contains).toList();
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * The CPU in one line, so that numbers from different machines can be told apart: its model name and the flags that
   * pick oneDNN's kernels (AVX512_VNNI/BF16, AMX), from {@code /proc/cpuinfo}; "unknown CPU" where it is unreadable.
   */
  public static String cpu() {
    return cpu(Path.of("/proc/cpuinfo"));
  }

  static String cpu(Path cpuinfo) {
    String model = "unknown CPU";
    try (var lines = Files.lines(cpuinfo)) {
      model = lines.filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(model);
    } catch (IOException | RuntimeException e) {
      // not Linux, or a sandbox: the model name stays unknown
    }
    List<String> flags = onednnCpuFlags(cpuinfo);
    return model + " (" + (flags.isEmpty() ? "none of " + String.join(", ", ONEDNN_CPU_FLAGS) : String.join(" ", flags))
        + ")";
  }
}
