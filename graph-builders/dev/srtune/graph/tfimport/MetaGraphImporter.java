package dev.srtune.graph.tfimport;

import dev.srtune.graph.safety.OpAllowlist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Imports a TF1 meta graph ({@code .ckpt.meta}) and its checkpoint as an srtune SavedModel. The whole meta graph is
 * loaded once so that its own saver restores the checkpoint (the keys it saved under are whatever that saver chose);
 * then only the inference subgraph — the nodes the output needs from the input — is kept ({@link InferenceSubgraph}),
 * so training ops, gradients, queues, summaries and savers are left behind, and the restored values are copied into
 * its variables. A meta graph without a saver is restored by variable name, as TF1's default saver names them.
 */
public final class MetaGraphImporter {
  private MetaGraphImporter() {}

  /** {@code model.ckpt.meta} → {@code model.ckpt}: where TF1's saver puts a meta graph's checkpoint. */
  public static Path defaultCheckpoint(Path meta) {
    String f = meta.getFileName().toString();
    return meta.resolveSibling(f.endsWith(".meta") ? f.substring(0, f.length() - 5) : f);
  }

  /** True where {@code prefix} names a checkpoint: a V2 {@code .index} beside it, or a V1 single file. */
  public static boolean checkpointExists(Path prefix) {
    return Files.isRegularFile(prefix.resolveSibling(prefix.getFileName() + ".index")) || Files.isRegularFile(prefix);
  }

  /**
   * @param checkpoint the checkpoint prefix ({@code model.ckpt}, not one of its files)
   */
  public static GraphImport.Imported build(Path metaFile, Path checkpoint, GraphImport.Options o, Path out)
      throws IOException {
    MetaGraphDef meta;
    try {
      meta = MetaGraphDef.parseFrom(Files.readAllBytes(metaFile));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new GraphImportException(metaFile + " is not a binary MetaGraphDef (" + NetworkExport.firstLine(e)
          + "); pass the .meta file TF1's saver wrote next to the checkpoint.", e);
    }
    InferenceMode.Result inference = InferenceMode.apply(meta.getGraphDef());
    GraphDef def = inference.def();
    NodeIndex index = new NodeIndex(def);
    try (Graph scratch = new Graph(); Session s = new Session(scratch)) {
      GraphImport.importInto(scratch, def, metaFile);
      Endpoints.Chosen found = Endpoints.find(index, scratch, o.input(), o.output(), o.bicubicInput(), o.scale());
      // Before the saver restores and the plan measures: only tensor math on the way to the output, and a saver
      // that reads (and writes) only the checkpoint it is given.
      GraphImport.requireTensorMath(OpAllowlist.checkRun(def, List.of(found.output().node())), metaFile);
      GraphImport.requireTensorMath(OpAllowlist.checkMetaGraph(meta), metaFile);
      Set<String> thaw = WeightConstants.find(index, index.ancestorsOf(found.output().node()));
      InferenceSubgraph.Result provisional = InferenceSubgraph.extract(def, index, found, thaw,
          NetworkExport.NETWORK_INPUT);
      if (provisional.variables().isEmpty()) {
        throw new GraphImportException("The network from '" + found.input() + "' to '" + found.output().format()
            + "' has no variables and no weight constants, so there is nothing to fine-tune; pass another --output.");
      }
      restore(scratch, s, meta.hasSaverDef() ? meta.getSaverDef() : null, provisional.variables(), thaw, checkpoint,
          metaFile);
      // Restored, the original graph runs: a second image input's role and the scale can be measured on it.
      GraphImport.Plan plan = GraphImport.plan(index, found, found.output(), o, s);
      Endpoints.Chosen io = plan.io();
      Map<String, String> settings = inference.within(index.ancestorsOf(io.output().node()));
      InferenceSubgraph.Result net = io.equals(found) ? provisional
          : InferenceSubgraph.extract(def, index, io, thaw, NetworkExport.NETWORK_INPUT);
      try (Result fetched = fetch(scratch, s, net.variables(), checkpoint)) {
        Map<String, TFloat32> values = new LinkedHashMap<>();
        for (int i = 0; i < net.variables().size(); i++) {
          String name = net.variables().get(i);
          TFloat32 value = (TFloat32) fetched.get(i);
          // A restore op built without shape validation (TF Java's own saver) takes a value of any shape.
          org.tensorflow.ndarray.Shape declared = declaredShape(index, name);
          if (declared != null && !declared.equals(value.shape())) {
            throw new GraphImportException("The checkpoint " + checkpoint + " does not match the meta graph "
                + metaFile.getFileName() + " (variable '" + name + "' is " + declared + " in the graph but "
                + value.shape() + " in the checkpoint); pass the checkpoint saved with it.");
          }
          values.put(name, value);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", o.name() != null ? o.name() : FrozenGraphImporter.stripExtension(
            checkpoint.getFileName().toString()));
        metadata.put("source", "TF1 meta graph " + metaFile.getFileName() + " with checkpoint " + checkpoint.getFileName());
        GraphImport.describe(metadata, io, io.output().format(), plan.chosen(), settings);
        metadata.put("variables", net.variables().size());
        metadata.put("thawed_constants", thaw.size());
        List<String> chosen = new java.util.ArrayList<>(plan.chosen());
        int scale = GraphImport.exportAtScale(net, values, plan, Endpoints.fixedHwc(index.node(io.input())), metadata,
            chosen, out);
        return new GraphImport.Imported(io.input(), io.output().format(), scale, net.variables().size(), 0,
            io.bicubicInput(), GraphImport.withSettings(chosen, settings));
      }
    }
  }

  /** A variable's shape as the graph declares it, or null where it leaves some of it open (or it is a constant). */
  static org.tensorflow.ndarray.Shape declaredShape(NodeIndex index, String variable) {
    var attr = index.node(variable).getAttrOrDefault("shape", null);
    if (attr == null || !attr.hasShape() || attr.getShape().getUnknownRank()) {
      return null;
    }
    long[] dims = attr.getShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
    return java.util.Arrays.stream(dims).anyMatch(d -> d < 0) ? null : org.tensorflow.ndarray.Shape.of(dims);
  }

  /** Runs the meta graph's own restore op, or restores the needed variables by name when it has no saver. */
  private static void restore(Graph g, Session s, SaverDef saver, List<String> variables, Set<String> constants,
      Path checkpoint, Path metaFile) {
    try (TString prefix = TString.scalarOf(checkpoint.toAbsolutePath().toString())) {
      if (saver != null && g.operation(saver.getRestoreOpName()) != null) {
        s.runner().feed(saver.getFilenameTensorName(), prefix).addTarget(saver.getRestoreOpName()).run();
      } else {
        Ops tf = Ops.create(g).withSubScope("srtune_restore");
        List<String> names = variables.stream().filter(v -> !constants.contains(v)).toList();
        List<Class<? extends org.tensorflow.types.family.TType>> types = new ArrayList<>();
        names.forEach(n -> types.add(TFloat32.class));
        var utf8 = java.nio.charset.StandardCharsets.UTF_8;
        var restored = tf.train.restore(tf.constant(checkpoint.toAbsolutePath().toString()),
            tf.constant(utf8, names.toArray(String[]::new)),
            tf.constant(utf8, names.stream().map(n -> "").toArray(String[]::new)), types);
        Session.Runner run = s.runner();
        for (int i = 0; i < names.size(); i++) {
          @SuppressWarnings("unchecked")
          Operand<TFloat32> value = (Operand<TFloat32>) restored.tensors().get(i);
          run.addTarget(assign(tf, g, names.get(i), value));
        }
        run.run();
      }
    } catch (TensorFlowException | IllegalArgumentException e) { // TFInvalidArgumentException is the latter
      throw new GraphImportException("The checkpoint " + checkpoint + " does not match the meta graph "
          + metaFile.getFileName() + " (" + NetworkExport.firstLine(e) + "); pass the checkpoint saved with it.", e);
    }
  }

  private static org.tensorflow.op.Op assign(Ops tf, Graph g, String variable, Operand<TFloat32> value) {
    GraphOperation v = g.operation(variable);
    if (v.type().equals("VarHandleOp")) {
      return tf.assignVariableOp(v.output(0), value);
    }
    @SuppressWarnings("unchecked")
    Operand<TFloat32> ref = (Operand<TFloat32>) v.<TFloat32>output(0);
    return tf.assign(ref, value);
  }

  /** The current value of each variable (and thawed constant), in order; resource variables through a read. */
  private static Result fetch(Graph g, Session s, List<String> variables, Path checkpoint) {
    Ops tf = Ops.create(g).withSubScope("srtune_read");
    Session.Runner run = s.runner();
    for (String name : variables) {
      GraphOperation op = g.operation(name);
      run.fetch(op.type().equals("VarHandleOp") ? tf.readVariableOp(op.output(0), TFloat32.class) : op.output(0));
    }
    try {
      return run.run();
    } catch (TensorFlowException | IllegalArgumentException e) { // TFInvalidArgumentException is the latter
      throw new GraphImportException("The checkpoint " + checkpoint + " leaves a variable of the network without a "
          + "value (" + NetworkExport.firstLine(e) + "); pass the checkpoint saved with this meta graph.", e);
    }
  }
}
