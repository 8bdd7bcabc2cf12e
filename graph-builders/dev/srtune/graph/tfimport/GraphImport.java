package dev.srtune.graph.tfimport;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.proto.GraphDef;

/**
 * What the TensorFlow graph importers ({@link FrozenGraphImporter}, {@link MetaGraphImporter},
 * {@link SavedModelImporter}) take and return.
 */
public final class GraphImport {
  private GraphImport() {}

  /**
   * @param input the input placeholder's name, or null to find it
   * @param output the output node ({@code name} or {@code name:k}), or null to find it
   * @param scale the scale the network must have, or 0 to measure it
   * @param name the model's name in {@code srtune.json}, or null for the file's name
   * @param adapters the network's own conventions (channels — null to choose from the graph —, value range, mean,
   *     residual)
   * @param bicubicInput a second input placeholder fed with the bicubic upscaling of the LR, or null (found where the
   *     output needs a second image input)
   * @param measureRange the value range was not given: measure it ({@link InputRoles#measureRange}; the adapters'
   *     range must then be 1 and their mean null)
   * @param outputRangeGiven the output range was given (the adapters' {@code signedOutput} says which): a final tanh's
   *     is then not measured ({@link OutputRange})
   */
  public record Options(String input, String output, int scale, String name, NetworkAdapters adapters,
      String bicubicInput, boolean measureRange, boolean outputRangeGiven) {
    public Options(String input, String output, int scale, String name, NetworkAdapters adapters,
        String bicubicInput, boolean measureRange) {
      this(input, output, scale, name, adapters, bicubicInput, measureRange, false);
    }

    public Options(String input, String output, int scale, String name, NetworkAdapters adapters) {
      this(input, output, scale, name, adapters, null);
    }

    public Options(String input, String output, int scale, String name, NetworkAdapters adapters,
        String bicubicInput) {
      this(input, output, scale, name, adapters, bicubicInput, false);
    }

    /** Everything found or measured: channels and value range from the graph and one test run. */
    public static Options found() {
      return new Options(null, null, 0, null, NetworkAdapters.found(), null, true);
    }
  }

  /**
   * What was imported: the endpoints chosen, the scale measured, how many variables the model has, how many function
   * calls were inlined (SavedModels), the second input fed the bicubic upscaling (or null), and the adapters chosen
   * from the graph rather than given, in words.
   */
  public record Imported(String input, String output, int scale, int variables, int functionsInlined,
      String bicubicInput, List<String> chosen) {
    public Imported(String input, String output, int scale, int variables) {
      this(input, output, scale, variables, 0, null, List.of());
    }
  }

  /**
   * The metadata every importer records about the graph's endpoints, the adapters chosen from it and what was set to
   * run it for inference ({@link InferenceMode}).
   */
  static void describe(Map<String, Object> metadata, Endpoints.Chosen io, String output, List<String> chosen,
      Map<String, String> inferenceSettings) {
    describe(metadata, io, output, chosen);
    if (!inferenceSettings.isEmpty()) {
      metadata.put("inference_settings", new java.util.LinkedHashMap<>(inferenceSettings));
    }
  }

  /** The metadata every importer records about the graph's endpoints and the adapters chosen from it. */
  static void describe(Map<String, Object> metadata, Endpoints.Chosen io, String output, List<String> chosen) {
    metadata.put("graph_input", io.input());
    metadata.put("graph_output", output);
    if (io.bicubicInput() != null) {
      metadata.put("bicubic_input", io.bicubicInput());
    }
    if (!chosen.isEmpty()) {
      metadata.put("adapters_chosen_from_graph", List.copyOf(chosen));
    }
  }

  /**
   * Chooses the channels from the graph where not given and, for a network with a bicubic input, measures which
   * input takes the LR and the scale by running {@code session} (the original graph, whose output is
   * {@code originalOutput}, or the chosen output where null).
   */
  static Plan plan(NodeIndex index, Endpoints.Chosen io, TensorRef originalOutput, Options o,
      org.tensorflow.Session session) {
    List<String> chosen = new java.util.ArrayList<>();
    if (io.note() != null) {
      chosen.add(io.note());
    }
    NetworkAdapters adapters = InputRoles.chooseChannels(index, io, o.adapters(), chosen);
    int scale = o.scale();
    TensorRef out = originalOutput != null ? originalOutput : io.output();
    PreUpsampling pre = PreUpsampling.measure(session, index, io, out, adapters.networkChannels());
    if (pre != null) {
      if (scale == 0) {
        throw new GraphImportException("The output '" + io.output().format() + "' has the size of the input '"
            + io.input() + "'" + (pre.margin() == 0 ? "" : " less " + pre.margin() + " pixels") + ", so this is a "
            + "pre-upsampling network and the graph cannot show its scale; pass --scale S (the factor its bicubic "
            + "enlargement should have).");
      }
      chosen.add(pre.describe() + " (at --scale " + scale + "; the model runs at any scale)");
    }
    if (io.bicubicInput() != null) {
      InputRoles.Measured m = InputRoles.measure(session, index, io,
          originalOutput != null ? originalOutput : io.output(), o.input() != null || o.bicubicInput() != null,
          adapters.networkChannels(), scale);
      io = m.io();
      if (o.bicubicInput() == null) {
        chosen.add("--bicubic-input " + io.bicubicInput() + " (a second image input; it takes the HR-sized image, "
            + "'" + io.input() + "' the LR" + (scale == 0 ? ", at x" + m.scale() : "") + ")");
      }
      scale = m.scale();
    }
    // After the roles and scale of a second input are known: the tanh's range is measured by running the network.
    if (!o.outputRangeGiven() && !adapters.signedOutput() && OutputRange.endsInTanh(index, io.output())) {
      adapters = OutputRange.chooseForTanh(session, index, io, out, adapters, scale, pre, chosen);
    }
    if (o.measureRange() && adapters.mean() == null && adapters.range() == 1f) {
      float range = InputRoles.measureRange(session, index, io, out, adapters, scale, pre, chosen);
      adapters = new NetworkAdapters(adapters.channels(), range, null, adapters.residual(), adapters.signedOutput());
    }
    return new Plan(io, adapters, scale, chosen, pre);
  }

  /** What {@link #plan} decided; {@code preUpsampling} null for a network that enlarges by itself. */
  record Plan(Endpoints.Chosen io, NetworkAdapters adapters, int scale, List<String> chosen,
      PreUpsampling preUpsampling) {}

  /**
   * Changes the network to the planned scale where it runs at another ({@link ScaleChange}; said in {@code chosen}
   * and recorded in {@code metadata}), then exports it ({@link NetworkExport#export}); the weight values the change
   * makes are closed here, the caller's stay the caller's.
   *
   * @return the scale measured on the exported network
   */
  static int exportAtScale(InferenceSubgraph.Result net, Map<String, org.tensorflow.types.TFloat32> values, Plan plan,
      long[] probeHw, Map<String, Object> metadata, List<String> chosen, Path out) throws java.io.IOException {
    Map<String, org.tensorflow.types.TFloat32> own = new java.util.LinkedHashMap<>(values);
    java.util.Set<org.tensorflow.types.TFloat32> given = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    given.addAll(values.values());
    try {
      ScaleChange.Changed changed = plan.preUpsampling() != null ? null : ScaleChange.toScale(net, own, plan.scale());
      if (changed != null) {
        net = changed.net();
        metadata.put("scale_change", changed.description());
        chosen.add(changed.description());
      }
      return NetworkExport.export(net, own, plan.adapters(), plan.preUpsampling(), probeHw, plan.scale(), metadata,
          out);
    } finally {
      own.values().stream().filter(v -> !given.contains(v)).forEach(org.tensorflow.types.TFloat32::close);
    }
  }

  /** What was chosen from the graph, then a line per node of what {@link InferenceMode} set to run it. */
  static List<String> withSettings(List<String> chosen, Map<String, String> settings) {
    List<String> all = new java.util.ArrayList<>(chosen);
    settings.forEach((node, value) -> all.add("'" + node + "' set to " + value));
    return all;
  }

  /**
   * Refuses, before anything of it runs, a graph that would run more than tensor math
   * ({@link dev.srtune.graph.safety.OpAllowlist}): {@code refused} is the check's answer, null where all is allowed.
   */
  static void requireTensorMath(dev.srtune.graph.safety.OpAllowlist.Refused refused, Path source) {
    if (refused != null) {
      throw new GraphImportException(refused.sentence("The graph in " + source.getFileName()) + ".");
    }
  }

  /** Loads {@code def} into {@code g}, or says in one sentence that this runtime cannot. */
  static void importInto(Graph g, GraphDef def, Path source) {
    try {
      g.importGraphDef(def);
    } catch (IllegalArgumentException e) {
      throw new GraphImportException("TensorFlow " + org.tensorflow.TensorFlow.version() + " cannot load the graph "
          + "in " + source.getFileName() + " (" + NetworkExport.firstLine(e) + "); export it with ops this runtime "
          + "knows.", e);
    }
  }
}
