package dev.srtune.graph.tfimport;

import dev.srtune.graph.safety.OpAllowlist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Result;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * Imports a frozen GraphDef ({@code .pb}, weights baked in as constants — how OpenCV's {@code dnn_superres} ships
 * FSRCNN, ESPCN, LapSRN and EDSR) as an srtune SavedModel whose weights are variables again: every float constant
 * that is a convolution filter, matmul operand or bias ({@link WeightConstants}) is <em>thawed</em> into a variable
 * initialised with its value, so the fine-tuner has something to train.
 */
public final class FrozenGraphImporter {
  private FrozenGraphImporter() {}

  public static GraphImport.Imported build(Path graphFile, GraphImport.Options o, Path out) throws IOException {
    GraphDef def;
    try {
      def = GraphDef.parseFrom(Files.readAllBytes(graphFile));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new GraphImportException(graphFile + " is not a binary GraphDef (" + NetworkExport.firstLine(e)
          + "); pass a frozen graph .pb file.", e);
    }
    InferenceMode.Result inference = InferenceMode.apply(def);
    def = inference.def();
    NodeIndex index = new NodeIndex(def);
    try (Graph scratch = new Graph(); Session s = new Session(scratch)) {
      GraphImport.importInto(scratch, def, graphFile);
      Endpoints.Chosen found = Endpoints.find(index, scratch, o.input(), o.output(), o.bicubicInput(), o.scale());
      // Before the first run (the plan measures on the original): only tensor math on the way to the output.
      GraphImport.requireTensorMath(OpAllowlist.checkRun(def, List.of(found.output().node())), graphFile);
      GraphImport.Plan plan = GraphImport.plan(index, found, null, o, s);
      Endpoints.Chosen io = plan.io();
      Set<String> network = index.ancestorsOf(io.output().node());
      Map<String, String> settings = inference.within(network);
      Set<String> thaw = WeightConstants.find(index, network);
      if (thaw.isEmpty()) {
        throw new GraphImportException("No float constant in " + graphFile.getFileName() + " is the weight of a "
            + "convolution, matmul or bias on the way to '" + io.output().format() + "', so nothing could be made "
            + "trainable; import a graph whose layers have weights.");
      }
      InferenceSubgraph.Result net = InferenceSubgraph.extract(def, index, io, thaw, NetworkExport.NETWORK_INPUT);
      List<String> left = net.variables().stream().filter(v -> !thaw.contains(v)).toList();
      if (!left.isEmpty()) {
        throw new GraphImportException("The graph still has " + left.size() + " variable(s) (" + left.get(0)
            + "...) whose values a frozen graph does not hold; import it with 'srtune build checkpoint' instead.");
      }
      Session.Runner run = s.runner();
      net.variables().forEach(v -> run.fetch(v));
      try (Result fetched = run.run()) {
        Map<String, TFloat32> values = new LinkedHashMap<>();
        for (int i = 0; i < fetched.size(); i++) {
          values.put(net.variables().get(i), (TFloat32) fetched.get(i));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", o.name() != null ? o.name() : stripExtension(graphFile.getFileName().toString()));
        meta.put("source", "frozen GraphDef " + graphFile.getFileName());
        GraphImport.describe(meta, io, io.output().format(), plan.chosen(), settings);
        meta.put("thawed_constants", thaw.size());
        List<String> chosen = new java.util.ArrayList<>(plan.chosen());
        int scale = GraphImport.exportAtScale(net, values, plan, Endpoints.fixedHwc(index.node(io.input())), meta,
            chosen, out);
        return new GraphImport.Imported(io.input(), io.output().format(), scale, thaw.size(), 0, io.bicubicInput(),
            GraphImport.withSettings(chosen, settings));
      }
    }
  }

  static String stripExtension(String file) {
    int dot = file.indexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }
}
