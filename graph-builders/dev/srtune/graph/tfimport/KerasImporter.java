package dev.srtune.graph.tfimport;

import dev.srtune.graph.safety.OpAllowlist;
import dev.srtune.graph.tfjs.KerasH5;
import dev.srtune.graph.tfjs.KerasLayer;
import dev.srtune.graph.tfjs.LayersModel;
import dev.srtune.graph.tfjs.LayersModelGraph;
import dev.srtune.graph.tfjs.TfjsModelException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * Imports a Keras full-model HDF5 file as an srtune SavedModel. The layers are built by the TF.js importer's layer
 * builders ({@link LayersModelGraph}: Keras' layer JSON is TF.js's {@code modelTopology}) from the weights
 * {@link KerasH5} reads, on an input of any size (a fixed {@code batch_input_shape} is a training patch); the graph
 * that makes is then imported like any other TensorFlow graph with its variables' values ({@link GraphImport}: the
 * endpoints, the adapters chosen from the graph — a final tanh, one input channel —, the measured value range, a
 * pre-upsampling network's enlargement, the gradient check, the export).
 */
public final class KerasImporter {
  private KerasImporter() {}

  public static GraphImport.Imported build(Path h5, GraphImport.Options o, Path out) throws IOException {
    LayersModel model;
    GraphDef def;
    String input;
    String output;
    Map<String, TFloat32> values = new LinkedHashMap<>();
    try {
      model = KerasH5.read(h5);
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        input = LayersModelGraph.opName(model.inputs().isEmpty() ? "input" : model.inputs().get(0).layer());
        Placeholder<TFloat32> x = tf.withName(input).placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(1, -1, -1, inputChannels(model))));
        LayersModelGraph.Built built = LayersModelGraph.build(tf, model, x);
        output = built.output().op().name();
        def = g.toGraphDef();
        for (LayersModelGraph.ImportedVariable v : built.variables()) {
          values.put(v.variable().op().name(), TFloat32.tensorOf(v.value().tfShape(),
              DataBuffers.of(v.value().values(), true, false)));
        }
      }
    } catch (TfjsModelException e) {
      values.values().forEach(TFloat32::close);
      throw new GraphImportException(e.getMessage(), e);
    }
    try {
      return importGraph(h5, model, def, input, output, values, o, out);
    } finally {
      values.values().forEach(TFloat32::close);
    }
  }

  private static GraphImport.Imported importGraph(Path h5, LayersModel model, GraphDef def, String input,
      String output, Map<String, TFloat32> values, GraphImport.Options o, Path out) throws IOException {
    NodeIndex index = new NodeIndex(def);
    try (Graph scratch = new Graph(); Session s = new Session(scratch)) {
      GraphImport.importInto(scratch, def, h5);
      Endpoints.Chosen found = Endpoints.find(index, scratch, o.input() != null ? o.input() : input,
          o.output() != null ? o.output() : output, o.bicubicInput(), o.scale());
      GraphImport.requireTensorMath(OpAllowlist.checkRun(def, List.of(found.output().node())), h5);
      assign(scratch, s, values);
      GraphImport.Plan plan = GraphImport.plan(index, found, found.output(), o, s);
      Endpoints.Chosen io = plan.io();
      InferenceSubgraph.Result net = InferenceSubgraph.extract(def, index, io, Set.of(), NetworkExport.NETWORK_INPUT);
      Map<String, TFloat32> used = new LinkedHashMap<>();
      net.variables().forEach(v -> used.put(v, values.get(v)));
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("name", o.name() != null ? o.name() : FrozenGraphImporter.stripExtension(h5.getFileName()
          .toString()));
      metadata.put("source", "Keras .h5 " + h5.getFileName() + " (model '" + model.name() + "', "
          + model.layers().size() + " layers)");
      GraphImport.describe(metadata, io, io.output().format(), plan.chosen());
      metadata.put("variables", net.variables().size());
      List<String> chosen = new java.util.ArrayList<>(plan.chosen());
      int scale = GraphImport.exportAtScale(net, used, plan, new long[] {-1, -1, -1}, metadata, chosen, out);
      return new GraphImport.Imported(io.input(), io.output().format(), scale, net.variables().size(), 0,
          io.bicubicInput(), chosen);
    }
  }

  /**
   * The input's channels from its {@code batch_input_shape} (the InputLayer's, or a Sequential model's first layer's),
   * 3 where it does not say.
   */
  private static long inputChannels(LayersModel model) {
    for (KerasLayer l : model.layers()) {
      if (l.config().has("batch_input_shape") && l.config().get("batch_input_shape").isJsonArray()) {
        var shape = l.config().getAsJsonArray("batch_input_shape");
        var last = shape.get(shape.size() - 1);
        if (shape.size() == 4 && !last.isJsonNull()) {
          return last.getAsLong();
        }
      }
    }
    return 3;
  }

  /** Every variable set to its weight, in one run. */
  private static void assign(Graph g, Session s, Map<String, TFloat32> values) {
    Ops w = Ops.create(g).withSubScope("srtune_keras_weights");
    Session.Runner run = s.runner();
    for (Map.Entry<String, TFloat32> e : values.entrySet()) {
      Placeholder<TFloat32> p = w.placeholder(TFloat32.class, Placeholder.shape(e.getValue().shape()));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> variable = (Operand<TFloat32>) g.operation(e.getKey()).<TFloat32>output(0);
      run.feed(p, e.getValue()).addTarget(w.assign(variable, p));
    }
    if (!values.isEmpty()) {
      run.run();
    }
  }
}
