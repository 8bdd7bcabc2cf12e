package dev.srtune.graph.tfimport;

import dev.srtune.graph.safety.OpAllowlist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;

/**
 * Imports a TF2/Keras-style SavedModel, whose network lives in functions behind a {@code StatefulPartitionedCall},
 * as an srtune SavedModel of plain ops. TensorFlow loads it (restoring its variables the model's own way); the
 * signature names the input and output; {@link FunctionInliner} replaces the calls on the way to the output by the
 * function bodies, recursively, so every captured variable is read by a plain {@code ReadVariableOp} of its handle;
 * then the same path as a TF1 meta graph follows ({@link InferenceSubgraph}: only the nodes the output needs, the
 * variables as variables, their values read from the loaded session) and the gradient check names any op whose
 * gradient TensorFlow still lacks.
 */
public final class SavedModelImporter {
  private SavedModelImporter() {}

  /**
   * @param signature the signature key, or null for {@code serving_default} (or the only signature)
   * @param o input and output are signature keys or graph tensor names
   */
  public static GraphImport.Imported build(Path dir, String signature, GraphImport.Options o, Path out)
      throws IOException {
    try (SavedModelBundle bundle = load(dir)) {
      MetaGraphDef meta = bundle.metaGraphDef();
      String key = signatureKey(meta, signature, dir);
      SignatureDef sig = meta.getSignatureDefOrThrow(key);
      String bicubic = o.bicubicInput() == null ? null
          : TensorRef.parse(endpoint(sig.getInputsMap(), o.bicubicInput(), "input", key)).node();
      String input = TensorRef.parse(endpoint(sig.getInputsMap(), o.input(), "input", key, bicubic)).node();
      TensorRef wanted = TensorRef.parse(endpoint(sig.getOutputsMap(), o.output(), "output", key));
      FunctionInliner.Result inlined = FunctionInliner.inline(meta.getGraphDef(), wanted);
      GraphDef def = inlined.def();
      TensorRef output = inlined.resolve(wanted);
      NodeIndex index = new NodeIndex(def);
      try (Graph scratch = new Graph(); Session s = new Session(scratch)) {
        GraphImport.importInto(scratch, def, dir);
        // The loaded bundle runs the original graph, calls and all: a second input's role is measured there.
        GraphImport.Plan plan = GraphImport.plan(index, Endpoints.find(index, scratch, input, output.format(),
            bicubic), wanted, o, bundle.session());
        Endpoints.Chosen io = plan.io();
        Set<String> thaw = WeightConstants.find(index, index.ancestorsOf(io.output().node()));
        InferenceSubgraph.Result net = InferenceSubgraph.extract(def, index, io, thaw, NetworkExport.NETWORK_INPUT);
        if (net.variables().isEmpty()) {
          throw new GraphImportException("The network behind signature '" + key + "' has no variables and no weight "
              + "constants, so there is nothing to fine-tune; pass another --output or --signature.");
        }
        // The calls are gone from the network: its GraphDef needs no function library.
        net = net.withDef(net.def().toBuilder().clearLibrary().build());
        Map<String, TFloat32> values = values(bundle, scratch, s, net.variables(), thaw, key);
        try {
          for (Map.Entry<String, TFloat32> v : values.entrySet()) {
            // Restoring a resource variable does not check the value's shape against the variable's.
            var declared = MetaGraphImporter.declaredShape(index, v.getKey());
            if (declared != null && !declared.equals(v.getValue().shape())) {
              throw new GraphImportException("The variables in " + dir.resolve("variables") + " do not match the "
                  + "graph in " + dir.resolve("saved_model.pb") + " (variable '" + v.getKey() + "' is " + declared
                  + " in the graph but " + v.getValue().shape() + " in the variables); pass the SavedModel folder as "
                  + "it was exported, with its own variables.");
            }
          }
          Map<String, Object> metadata = new LinkedHashMap<>();
          metadata.put("name", o.name() != null ? o.name() : dir.toAbsolutePath().normalize().getFileName().toString());
          metadata.put("source", "SavedModel " + dir.getFileName() + ", signature " + key);
          GraphImport.describe(metadata, io, wanted.format(), plan.chosen());
          metadata.put("functions_inlined", inlined.inlined());
          metadata.put("variables", net.variables().size() - thaw.size());
          metadata.put("thawed_constants", thaw.size());
          int scale = NetworkExport.export(net, values, plan.adapters(), plan.preUpsampling(),
              Endpoints.fixedHwc(index.node(io.input())), plan.scale(), metadata, out);
          return new GraphImport.Imported(io.input(), wanted.format(), scale, net.variables().size(),
              inlined.inlined(), io.bicubicInput(), plan.chosen());
        } finally {
          values.values().forEach(TFloat32::close);
        }
      }
    }
  }

  /**
   * Loads the SavedModel, restoring its variables. A graph that parses but does not load is taken for variables that
   * do not belong to it (the usual cause: a variables/ folder of another export), anything else for a folder that is
   * not a SavedModel.
   */
  private static SavedModelBundle load(Path dir) {
    // The loader runs the saver's restore and the init ops: check them (function bodies included) first.
    try {
      for (MetaGraphDef m : org.tensorflow.proto.SavedModel.parseFrom(java.nio.file.Files.readAllBytes(
          dir.resolve("saved_model.pb"))).getMetaGraphsList()) {
        if (m.getMetaInfoDef().getTagsList().contains("serve")) {
          GraphImport.requireTensorMath(OpAllowlist.checkMetaGraph(m), dir.resolve("saved_model.pb"));
        }
      }
    } catch (IOException unreadable) {
      // TensorFlow's loader says what is wrong with it, below
    }
    try {
      return SavedModelBundle.load(dir.toString(), "serve");
    } catch (org.tensorflow.exceptions.TensorFlowException | IllegalArgumentException e) {
      boolean servable;
      try {
        servable = org.tensorflow.proto.SavedModel.parseFrom(java.nio.file.Files.readAllBytes(
            dir.resolve("saved_model.pb"))).getMetaGraphsList().stream()
            .anyMatch(m -> m.getMetaInfoDef().getTagsList().contains("serve"));
      } catch (IOException notReadable) {
        servable = false;
      }
      if (servable) {
        throw new GraphImportException("The variables in " + dir.resolve("variables") + " do not match the graph "
            + "in " + dir.resolve("saved_model.pb") + " (" + NetworkExport.firstLine(e) + "); pass the SavedModel "
            + "folder as it was exported, with its own variables.", e);
      }
      throw new GraphImportException(dir + " cannot be loaded as a SavedModel with tag 'serve' ("
          + NetworkExport.firstLine(e) + "); pass the folder that holds saved_model.pb and variables/.", e);
    }
  }

  private static String signatureKey(MetaGraphDef meta, String wanted, Path dir) {
    Set<String> keys = meta.getSignatureDefMap().keySet();
    if (wanted != null) {
      if (!keys.contains(wanted)) {
        throw new GraphImportException("The SavedModel in " + dir + " has no signature '" + wanted + "'; pass "
            + "--signature with one of: " + describe(keys) + ".");
      }
      return wanted;
    }
    if (keys.contains("serving_default")) {
      return "serving_default";
    }
    if (keys.size() == 1) {
      return keys.iterator().next();
    }
    throw new GraphImportException("The SavedModel in " + dir + " has " + (keys.isEmpty() ? "no signature"
        : "no serving_default signature but " + keys.size() + " others (" + describe(keys) + ")")
        + "; pass --signature NAME" + (keys.isEmpty() ? " of a model that has one" : "") + ".");
  }

  /**
   * The tensor name of the signature entry {@code given} (a signature key or a tensor of the graph), or of the one
   * float image entry when {@code given} is null.
   */
  private static String endpoint(Map<String, TensorInfo> entries, String given, String what, String key) {
    return endpoint(entries, given, what, key, null);
  }

  /**
   * @param bicubic the node of the input fed the bicubic upscaling, not a candidate; where it is null and the
   *     signature has two image inputs, the first is returned and the two roles are measured later
   */
  private static String endpoint(Map<String, TensorInfo> entries, String given, String what, String key,
      String bicubic) {
    if (given != null) {
      TensorInfo t = entries.get(given);
      return t != null ? t.getName() : given;
    }
    List<String> images = new ArrayList<>();
    new java.util.TreeMap<>(entries).forEach((k, t) -> {
      boolean rank4 = !t.hasTensorShape() || t.getTensorShape().getUnknownRank() || t.getTensorShape().getDimCount() == 4;
      if (t.getDtype() == DataType.DT_FLOAT && rank4 && (bicubic == null
          || !TensorRef.parse(t.getName()).node().equals(bicubic))) {
        images.add(k);
      }
    });
    if (images.size() == 1 || (images.size() == 2 && what.equals("input") && bicubic == null)) {
      return entries.get(images.get(0)).getName();
    }
    throw new GraphImportException("Signature '" + key + "' has " + (images.isEmpty() ? "no float " + what
        + " of image shape [1,H,W,C] (its " + what + "s: " + describe(entries.keySet()) + ")"
        : images.size() + " candidate " + what + "s (" + String.join(", ", images) + ")") + "; pass --" + what
        + " with " + (images.isEmpty() ? "the image tensor's name" : "one of them") + ".");
  }

  private static String describe(Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(names));
  }

  /**
   * Each variable's value: a captured variable from the loaded session (which restored it), a thawed constant from
   * the scratch graph (it may live only inside a function body).
   */
  private static Map<String, TFloat32> values(SavedModelBundle bundle, Graph scratch, Session scratchSession,
      List<String> variables, Set<String> thaw, String key) {
    Ops tf = Ops.create(bundle.graph()).withSubScope("srtune_read");
    Session.Runner fromBundle = bundle.session().runner();
    Session.Runner fromScratch = scratchSession.runner();
    List<String> bundleNames = new ArrayList<>();
    List<String> scratchNames = new ArrayList<>();
    for (String name : variables) {
      if (thaw.contains(name)) {
        fromScratch.fetch(scratch.operation(name).output(0));
        scratchNames.add(name);
        continue;
      }
      GraphOperation op = bundle.graph().operation(name);
      if (op == null) {
        throw new GraphImportException("The variable '" + name + "' is created inside a function of signature '"
            + key + "' rather than captured by it, so its value cannot be read; export the model with its variables "
            + "outside its functions (as Keras and tf.Module do).");
      }
      fromBundle.fetch(op.type().equals("VarHandleOp") ? tf.readVariableOp(op.output(0), TFloat32.class)
          : op.output(0));
      bundleNames.add(name);
    }
    Map<String, TFloat32> byName = new LinkedHashMap<>();
    try {
      if (!bundleNames.isEmpty()) {
        collect(fromBundle, bundleNames, byName);
      }
      if (!scratchNames.isEmpty()) {
        collect(fromScratch, scratchNames, byName);
      }
    } catch (org.tensorflow.exceptions.TensorFlowException | IllegalArgumentException e) {
      byName.values().forEach(TFloat32::close);
      throw new GraphImportException("A variable of the SavedModel has no value (" + NetworkExport.firstLine(e)
          + "); pass a SavedModel whose variables/ folder was written with it.", e);
    }
    Map<String, TFloat32> ordered = new LinkedHashMap<>();
    variables.forEach(v -> ordered.put(v, byName.get(v)));
    return ordered;
  }

  /** Runs {@code run} and copies each fetched value out under its name (the result closes its own tensors). */
  private static void collect(Session.Runner run, List<String> names, Map<String, TFloat32> into) {
    try (Result r = run.run()) {
      for (int i = 0; i < names.size(); i++) {
        TFloat32 t = (TFloat32) r.get(i);
        into.put(names.get(i), TFloat32.tensorOf(t.shape(), t::copyTo));
      }
    }
  }
}
