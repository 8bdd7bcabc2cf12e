package dev.srtune.graph.tfimport;

import dev.srtune.graph.degradation.BicubicUpsampler;
import dev.srtune.graph.degradation.Boundary;
import dev.srtune.graph.savedmodel.SrSavedModelWriter;
import dev.srtune.graph.savedmodel.SrSignature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * Puts an {@link InferenceSubgraph} between srtune's input and output adapters, sets its variables, measures its
 * scale with one pass, and writes the SavedModel. The input adapter is built in a graph of its own and merged into
 * the network's GraphDef before the one import, because TensorFlow Java's {@code importGraphDef} cannot bind an
 * imported placeholder to a tensor already in the graph.
 */
final class NetworkExport {
  /** The node the input adapter ends in; the network's input placeholder becomes an Identity of it. */
  static final String NETWORK_INPUT = "srtune_network_input";
  /** LR side of the probe pass when the network's input has no fixed size. */
  static final int PROBE_SIZE = 24;

  private NetworkExport() {}

  /**
   * @param values each variable's value, by its name in the original graph (closed by the caller)
   * @param pre where not null, the network is pre-upsampling: srtune's enlargement by {@code scale} goes in front
   * @param probeHw the network input's fixed height and width, or -1 where it has none
   * @param scale the scale to check against, or 0 to take the measured one (a network with a bicubic input needs it)
   * @return the scale measured
   */
  static int export(InferenceSubgraph.Result net, Map<String, TFloat32> values, NetworkAdapters adapters,
      PreUpsampling pre, long[] probeHw, int scale, Map<String, Object> metadata, Path out) throws IOException {
    if ((net.bicubicInput() || pre != null) && scale == 0) {
      throw new IllegalArgumentException("a network with a bicubic input needs its scale");
    }
    if (pre != null) {
      probeHw = new long[] {-1, -1}; // the LR probe: the network's own (relaxed) size is the enlarged image's
    }
    GraphDef front;
    try (Graph fg = new Graph()) {
      Ops tf = Ops.create(fg);
      Placeholder<TFloat32> lr = tf.withName(SrSignature.INPUT)
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Ops in = tf.withSubScope("srtune_input");
      Operand<TFloat32> netIn = pre == null ? adapters.toNetwork(in, lr)
          : pre.pad(in, adapters.toNetwork(in, PreUpsampling.enlarge(in, lr,
              tf.withName(PreUpsampling.SCALE_NODE).constant(scale))));
      tf.withName(NETWORK_INPUT).identity(layout(tf, netIn, net.inputNchw(), TO_NCHW));
      if (net.bicubicInput()) {
        tf.withName(NETWORK_INPUT + InferenceSubgraph.BICUBIC_SUFFIX).identity(layout(tf, adapters.toNetwork(
            tf.withSubScope("srtune_bicubic_input"), new BicubicUpsampler(scale, Boundary.REPLICATE).apply(tf, lr)),
            net.inputNchw(), TO_NCHW));
      }
      front = fg.toGraphDef();
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      try {
        g.importGraphDef(net.def().toBuilder().addAllNode(front.getNodeList()).build());
      } catch (IllegalArgumentException e) {
        throw new GraphImportException("TensorFlow " + org.tensorflow.TensorFlow.version() + " cannot rebuild the "
            + "network (" + firstLine(e) + "); the graph uses ops or attributes this runtime does not know.", e);
      }
      Ops tf = Ops.create(g);
      assign(tf, s, g, values);
      @SuppressWarnings("unchecked")
      Output<TFloat32> lr = (Output<TFloat32>) g.operation(SrSignature.INPUT).<TFloat32>output(0);
      @SuppressWarnings("unchecked")
      Output<TFloat32> graphOut = (Output<TFloat32>) g.operation(net.output().node())
          .<TFloat32>output(net.output().index());
      Operand<TFloat32> netOut = layout(tf.withSubScope("srtune_output_layout"), graphOut, net.outputNchw(), TO_NHWC);
      int measured = measureScale(s, lr, netOut, adapters, probeHw);
      if (scale != 0 && scale != measured) {
        throw new GraphImportException("The network upscales by " + measured + ", not by the --scale " + scale
            + " given; pass --scale " + measured + " or leave it out.");
      }
      Ops outScope = tf.withSubScope("srtune_output");
      Operand<TFloat32> adapted;
      if (pre == null) {
        adapted = adapters.fromNetwork(outScope, lr, netOut, measured);
      } else {
        @SuppressWarnings("unchecked")
        Operand<org.tensorflow.types.TInt32> factor = (Operand<org.tensorflow.types.TInt32>) g.operation(
            PreUpsampling.SCALE_NODE).<org.tensorflow.types.TInt32>output(0);
        adapted = adapters.fromNetwork(outScope, lr, netOut, x -> PreUpsampling.enlarge(outScope, x, factor));
      }
      Operand<TFloat32> sr = tf.withName(SrSignature.OUTPUT).identity(adapted);
      checkGradients(g.toGraphDef(), values.keySet());
      Map<String, Object> meta = new LinkedHashMap<>(metadata);
      meta.put("scale", measured);
      meta.putAll(adapters.metadata());
      if (pre != null) {
        meta.put("pre_upsampling", pre.metadata());
      }
      if (net.inputNchw() || net.outputNchw()) {
        meta.put("graph_layout", Map.of("input", net.inputNchw() ? "NCHW" : "NHWC", "output",
            net.outputNchw() ? "NCHW" : "NHWC"));
      }
      SrSavedModelWriter.export(s, lr, sr, out, meta);
      return measured;
    }
  }

  private static final int[] TO_NCHW = {0, 3, 1, 2};
  private static final int[] TO_NHWC = {0, 2, 3, 1};

  /** {@code x} transposed by {@code perm} where the network's tensor has its channels first, else itself. */
  private static Operand<TFloat32> layout(Ops tf, Operand<TFloat32> x, boolean nchw, int[] perm) {
    return nchw ? tf.linalg.transpose(x, tf.constant(perm)) : x;
  }

  /**
   * Refuses a network the fine-tuner could not differentiate: builds d sr / d weights in a throw-away copy of the
   * graph (the exported graph stays free of gradient ops) and names the op whose gradient TensorFlow lacks.
   */
  private static void checkGradients(GraphDef exported, java.util.Set<String> variables) {
    try (Graph copy = new Graph()) {
      copy.importGraphDef(exported);
      Output<?>[] xs = variables.stream().map(v -> copy.operation(InferenceSubgraph.PREFIX + v).output(0))
          .toArray(Output<?>[]::new);
      copy.addGradients(copy.operation(SrSignature.OUTPUT).output(0), xs);
    } catch (RuntimeException e) {
      String msg = firstLine(e);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("op:? (\\w+)").matcher(msg);
      throw new GraphImportException("The network cannot be fine-tuned because TensorFlow has no gradient for "
          + (m.find() ? "its " + m.group(1) + " op" : "one of its ops (" + msg + ")")
          + "; replace that op in the network, or export it without it.", e);
    }
  }

  /** Feeds every value once through a placeholder into its variable, all in one run. */
  private static void assign(Ops tf, Session s, Graph g, Map<String, TFloat32> values) {
    Ops w = tf.withSubScope("srtune_import_weights");
    Session.Runner run = s.runner();
    for (Map.Entry<String, TFloat32> e : values.entrySet()) {
      TFloat32 v = e.getValue();
      Placeholder<TFloat32> p = w.placeholder(TFloat32.class, Placeholder.shape(v.shape()));
      @SuppressWarnings("unchecked")
      Output<TFloat32> variable = (Output<TFloat32>) g.operation(InferenceSubgraph.PREFIX + e.getKey())
          .<TFloat32>output(0);
      run.feed(p, v).addTarget(w.assign(variable, p));
    }
    if (!values.isEmpty()) {
      run.run();
    }
  }

  /** Runs the network once on a flat grey image and returns its output size over its input size. */
  private static int measureScale(Session s, Output<TFloat32> lr, Operand<TFloat32> netOut, NetworkAdapters adapters,
      long[] probeHw) {
    long h = probeHw[0] > 0 ? probeHw[0] : PROBE_SIZE;
    long w = probeHw[1] > 0 ? probeHw[1] : PROBE_SIZE;
    Shape outShape;
    try (TFloat32 probe = TFloat32.tensorOf(Shape.of(1, h, w, 3), d -> d.scalars().forEach(x -> x.setFloat(0.5f)));
        Tensor result = s.runner().feed(lr, probe).fetch(netOut).run().get(0)) {
      outShape = result.shape();
    } catch (org.tensorflow.exceptions.TensorFlowException | IllegalArgumentException e) {
      throw new GraphImportException("The imported network fails on a " + h + "x" + w + " test image ("
          + firstLine(e) + "); check --input/--output and --channels.", e);
    }
    if (outShape.numDimensions() != 4 || outShape.get(0) != 1) {
      throw new GraphImportException("The output is shaped " + outShape + ", not [1,H,W,C]; pass the image output "
          + "with --output.");
    }
    if (outShape.get(3) != adapters.networkChannels()) {
      throw new GraphImportException("The output has " + outShape.get(3) + " channels where " + adapters.networkChannels()
          + " were expected; pass " + (outShape.get(3) == 1 ? "--channels y" : "the image output with --output") + ".");
    }
    long sh = outShape.get(1) / h;
    if (sh < 1 || outShape.get(1) != sh * h || outShape.get(2) != sh * w) {
      throw new GraphImportException("A " + h + "x" + w + " input gives a " + outShape.get(1) + "x" + outShape.get(2)
          + " output, not an integer multiple; srtune needs a network that upscales by a whole factor.");
    }
    return (int) sh;
  }

  static String firstLine(Throwable e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("").trim();
  }
}
