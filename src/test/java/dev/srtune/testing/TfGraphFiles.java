package dev.srtune.testing;

import dev.srtune.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * A small SR network written with TensorFlow Java in the formats people ship TensorFlow SR models in: a frozen
 * GraphDef (weights as constants) and a TF1 meta graph + checkpoint (variables, a loss on a target placeholder, a
 * training op, a summary and a saver in the graph). The network: conv 3×3 (3→F) + bias, ReLU, conv 3×3 (F→12) +
 * bias, depth-to-space ×2 — ESPCN's shape. Input {@value #INPUT} [1,?,?,3], output {@value #OUTPUT}.
 */
public final class TfGraphFiles {
  public static final String INPUT = "images";
  public static final String OUTPUT = "output";

  private TfGraphFiles() {}

  /** The network's weights (HWIO filters), drawn from a seeded generator. */
  public record Weights(int width, float[] w1, float[] b1, float[] w2, float[] b2) {
    public static Weights random(int width, long seed) {
      Random r = new Random(seed);
      return new Weights(width, gauss(r, 9 * 3 * width, 0.25), gauss(r, width, 0.05), gauss(r, 9 * width * 12, 0.15),
          gauss(r, 12, 0.05));
    }

    /**
     * Weights that make the network a nearest-neighbour ×2 upscaler (conv1 passes R, G, B through its first three
     * channels, conv2 copies them to the four sub-pixel positions), perturbed by seeded Gaussian noise of {@code sd}:
     * a network whose output starts near a plausible image, for fine-tuning runs on real photographs.
     */
    public static Weights nearestUpsampling(int width, long seed, double sd) {
      Weights w = random(width, seed);
      Random r = new Random(seed + 1);
      float[] w1 = gauss(r, 9 * 3 * width, sd), b1 = gauss(r, width, sd / 10);
      float[] w2 = gauss(r, 9 * width * 12, sd), b2 = gauss(r, 12, sd / 10);
      int center = 1 * 3 + 1;
      for (int c = 0; c < 3; c++) {
        w1[(center * 3 + c) * width + c] += 1f;
        for (int p = 0; p < 4; p++) { // DepthToSpace: sub-pixel p of channel c is input channel p·3 + c
          w2[(center * width + c) * 12 + p * 3 + c] += 1f;
        }
      }
      return new Weights(w.width(), w1, b1, w2, b2);
    }

    private static float[] gauss(Random r, int n, double sd) {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        f[i] = (float) (r.nextGaussian() * sd);
      }
      return f;
    }
  }

  /** A weight maker: (name, initial value) → the operand the network uses. */
  public interface WeightMaker extends BiFunction<String, Operand<TFloat32>, Operand<TFloat32>> {}

  /** The network on {@code x}; each weight goes through {@code weight}. */
  public static Operand<TFloat32> network(Ops tf, Operand<TFloat32> x, Weights w, WeightMaker weight) {
    int f = w.width();
    Operand<TFloat32> w1 = weight.apply("conv1_w", tf.constant(Shape.of(3, 3, 3, f), DataBuffers.of(w.w1())));
    Operand<TFloat32> b1 = weight.apply("conv1_b", tf.constant(w.b1()));
    Operand<TFloat32> w2 = weight.apply("conv2_w", tf.constant(Shape.of(3, 3, f, 12), DataBuffers.of(w.w2())));
    Operand<TFloat32> b2 = weight.apply("conv2_b", tf.constant(w.b2()));
    List<Long> ones = List.of(1L, 1L, 1L, 1L);
    Operand<TFloat32> h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, w1, ones, "SAME"), b1));
    h = tf.nn.biasAdd(tf.nn.conv2d(h, w2, ones, "SAME"), b2);
    return tf.withName(OUTPUT).identity(tf.nn.depthToSpace(h, 2L));
  }

  public static Placeholder<TFloat32> input(Ops tf, String name) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
  }

  /** Writes the network frozen: every weight a Const, read through an Identity as freeze_graph leaves them. */
  public static Path writeFrozen(Path file, Weights w) throws Exception {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      network(tf, input(tf, INPUT), w, (name, value) -> tf.withName(name + "_read").identity(value));
      Files.write(file, g.toGraphDef().toByteArray());
    }
    return file;
  }

  /** Writes any graph {@code body} builds as a GraphDef, for graphs the importer must refuse. */
  public static Path writeGraph(Path file, java.util.function.Consumer<Ops> body) throws Exception {
    try (Graph g = new Graph()) {
      body.accept(Ops.create(g));
      Files.write(file, g.toGraphDef().toByteArray());
    }
    return file;
  }

  /**
   * Writes {@code dir/model.ckpt.meta} and the checkpoint {@code dir/model.ckpt}, TF1-style: ref variables, a loss
   * against a placeholder {@code hr}, gradient-descent training ops, a scalar summary and a saver. One training step
   * runs before saving, so the checkpoint differs from the variables' initial values.
   *
   * @return the meta graph file
   */
  public static Path writeMetaGraph(Path dir, Weights w) throws Exception {
    return writeMetaGraph(dir, w, true);
  }

  /**
   * As {@link #writeMetaGraph(Path, Weights)}; with {@code refVariables} false the variables are resource variables
   * ({@code VarHandleOp}), saved by a hand-made {@code SaveV2} under their names, and the meta graph has no
   * {@code saver_def} — how graphs look that wrote their checkpoint with their own save op.
   */
  @SuppressWarnings("unchecked")
  public static Path writeMetaGraph(Path dir, Weights w, boolean refVariables) throws Exception {
    Files.createDirectories(dir);
    String prefix = dir.resolve("model.ckpt").toString();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = input(tf, INPUT);
      List<Operand<TFloat32>> vars = new ArrayList<>();
      List<org.tensorflow.op.core.VarHandleOp> handles = new ArrayList<>();
      List<String> names = new ArrayList<>();
      Operand<TFloat32> y = network(tf, x, w, (name, value) -> {
        names.add(name);
        if (refVariables) {
          Operand<TFloat32> v = tf.withName(name).variable(value);
          vars.add(v);
          return tf.withName(name + "_read").identity(v);
        }
        var h = tf.withName(name).varHandleOp(TFloat32.class, value.shape(),
            org.tensorflow.op.core.VarHandleOp.sharedName(name));
        tf.withInitScope().assignVariableOp(h, value);
        handles.add(h);
        Operand<TFloat32> read = tf.withName(name + "_read").readVariableOp(h, TFloat32.class);
        vars.add(read);
        return read;
      });
      Placeholder<TFloat32> hr = input(tf, "hr");
      Operand<TFloat32> loss = tf.withName("loss").math.mean(tf.math.squaredDifference(y, hr),
          tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] grads = g.addGradients(loss.asOutput(), vars.stream().map(Operand::asOutput).toArray(Output[]::new));
      List<org.tensorflow.op.Op> updates = new ArrayList<>();
      // Every update waits for every gradient: an update racing the backward pass made the checkpoint vary by run.
      List<org.tensorflow.op.Op> allGradients = new ArrayList<>();
      for (Output<?> gr : grads) {
        allGradients.add(tf.identity((Operand<TFloat32>) (Operand<?>) gr));
      }
      Ops tfAfter = tf.withControlDependencies(allGradients);
      for (int i = 0; i < vars.size(); i++) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> gi = (Operand<TFloat32>) grads[i];
        updates.add(refVariables ? tfAfter.train.applyGradientDescent(vars.get(i), tf.constant(0.5f), gi)
            : tfAfter.train.resourceApplyGradientDescent(handles.get(i), tf.constant(0.5f), gi));
      }
      org.tensorflow.op.Op train = tf.withControlDependencies(updates).withName("train").noOp();
      tf.withName("loss_summary").summary.scalarSummary(tf.constant("loss"), loss);
      s.initialize();
      RgbImage lr = noise(10, 9, 11);
      RgbImage target = noise(20, 18, 12);
      try (TFloat32 a = tensor(lr); TFloat32 b = tensor(target)) {
        s.runner().feed(x, a).feed(hr, b).addTarget(train).run();
      }
      MetaGraphDef.Builder meta = MetaGraphDef.newBuilder();
      if (refVariables) {
        s.save(prefix);
        meta.setSaverDef(SaverDef.newBuilder().setFilenameTensorName("save/filename:0")
            .setSaveTensorName("save/control_dependency:0").setRestoreOpName("save/restore_all"));
      } else {
        var utf8 = java.nio.charset.StandardCharsets.UTF_8;
        Ops sv = tf.withSubScope("my_save");
        List<Operand<?>> values = new ArrayList<>();
        handles.forEach(h -> values.add(sv.readVariableOp(h, TFloat32.class)));
        s.runner().addTarget(sv.train.save(sv.constant(prefix), sv.constant(utf8, names.toArray(String[]::new)),
            sv.constant(utf8, names.stream().map(n -> "").toArray(String[]::new)), values)).run();
      }
      Path file = Path.of(prefix + ".meta");
      Files.write(file, meta.setGraphDef(g.toGraphDef()).build().toByteArray());
      return file;
    }
  }

  /** Signature keys of the function-based SavedModel, as Keras names them. */
  public static final String FUNCTION_INPUT = "input_1";
  public static final String FUNCTION_OUTPUT = "output_1";

  /**
   * Writes the network as a TF2/Keras-style function-based SavedModel with TensorFlow Java: resource variables in
   * the outer graph, captured by a {@code StatefulPartitionedCall} of the network's function, which reads them with
   * {@code ReadVariableOp} and calls a second function for its first convolution block (Keras nests one function
   * per layer). The graph has no plain network op: the network exists only inside the function library. Variables
   * are saved by hand-made {@code save/} nodes (TF Java's own saver sees only ref variables), so the exported model
   * restores them on load. Signature {@code serving_default}: {@value #FUNCTION_INPUT} → {@value #FUNCTION_OUTPUT}.
   */
  @SuppressWarnings("unchecked")
  public static Path writeFunctionSavedModel(Path dir, Weights w) throws Exception {
    int f = w.width();
    List<Long> ones = List.of(1L, 1L, 1L, 1L);
    // The first block as a function of (x, filter handle, bias handle).
    org.tensorflow.ConcreteFunction block;
    try (Graph bg = new Graph()) {
      Ops tf = Ops.create(bg);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      var wh = tf.varHandleOp(TFloat32.class, Shape.of(3, 3, 3, f));
      var bh = tf.varHandleOp(TFloat32.class, Shape.of(f));
      Operand<TFloat32> y = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, tf.readVariableOp(wh, TFloat32.class), ones,
          "SAME"), tf.readVariableOp(bh, TFloat32.class)));
      block = org.tensorflow.ConcreteFunction.create(org.tensorflow.Signature.builder("__inference_conv_block_11")
          .input("x", x).input("kernel", wh).input("bias", bh).output("y", y).build(), bg);
    }
    org.tensorflow.ConcreteFunction body;
    try (Graph fg = new Graph()) {
      Ops tf = Ops.create(fg);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      var h1 = tf.varHandleOp(TFloat32.class, Shape.of(3, 3, 3, f));
      var c1 = tf.varHandleOp(TFloat32.class, Shape.of(f));
      var h2 = tf.varHandleOp(TFloat32.class, Shape.of(3, 3, f, 12));
      var c2 = tf.varHandleOp(TFloat32.class, Shape.of(12));
      Operand<TFloat32> h = (Operand<TFloat32>) tf.call(block, Map.of("x", x, "kernel", h1, "bias", c1)).get("y");
      h = tf.nn.biasAdd(tf.nn.conv2d(h, tf.readVariableOp(h2, TFloat32.class), ones, "SAME"),
          tf.readVariableOp(c2, TFloat32.class));
      Operand<TFloat32> y = tf.nn.depthToSpace(h, 2L);
      body = org.tensorflow.ConcreteFunction.create(org.tensorflow.Signature.builder("__inference_call_42")
          .input("x", x).input("conv1_w", h1).input("conv1_b", c1).input("conv2_w", h2).input("conv2_b", c2)
          .output("y", y).build(), fg);
    }
    try (block; body; Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = input(tf, "serving_default_" + FUNCTION_INPUT);
      Map<String, Operand<?>> args = new java.util.LinkedHashMap<>();
      args.put("x", x);
      List<String> names = List.of("conv1_w", "conv1_b", "conv2_w", "conv2_b");
      List<Operand<TFloat32>> initial = List.of(tf.constant(Shape.of(3, 3, 3, f), DataBuffers.of(w.w1())),
          tf.constant(w.b1()), tf.constant(Shape.of(3, 3, f, 12), DataBuffers.of(w.w2())), tf.constant(w.b2()));
      List<org.tensorflow.op.core.VarHandleOp> handles = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        var handle = tf.withName(names.get(i)).varHandleOp(TFloat32.class, initial.get(i).shape(),
            org.tensorflow.op.core.VarHandleOp.sharedName(names.get(i)));
        tf.withInitScope().assignVariableOp(handle, initial.get(i));
        args.put(names.get(i), handle);
        handles.add(handle);
      }
      // As Keras calls its model: StatefulPartitionedCall (the nested block stays a PartitionedCall).
      Operand<TFloat32> y = (Operand<TFloat32>) tf.withName("StatefulPartitionedCall")
          .statefulPartitionedCall(args.values(), List.of(TFloat32.class), body).output().get(0);
      Operand<TFloat32> out = tf.withName("Identity").identity(y);
      addResourceSaver(tf, names, handles);
      s.initialize();
      org.tensorflow.SavedModelBundle.exporter(dir.toString()).withSession(s)
          .withSignature(org.tensorflow.Signature.builder("serving_default").input(FUNCTION_INPUT, x)
              .output(FUNCTION_OUTPUT, out).build())
          .export();
    }
    return dir;
  }

  /** A function body for {@link #writeFunctionSavedModel(Path, Map, Map, FunctionBody)}. */
  public interface FunctionBody {
    /**
     * @param inputs the signature's inputs, by key
     * @param variable reads the named variable (a captured resource handle of the function)
     * @return the signature's outputs, by key
     */
    Map<String, Operand<?>> build(Ops tf, Map<String, Placeholder<TFloat32>> inputs,
        java.util.function.Function<String, Operand<TFloat32>> variable);
  }

  /**
   * Writes any network {@code body} builds as a function-based SavedModel, laid out as
   * {@link #writeFunctionSavedModel(Path, Weights)} lays out its own: float inputs {@code serving_default_KEY} of
   * the given shapes, resource variables with the given values captured by one {@code StatefulPartitionedCall},
   * each output an Identity of the call, hand-made {@code save/} nodes.
   */
  @SuppressWarnings("unchecked")
  public static Path writeFunctionSavedModel(Path dir, Map<String, Shape> inputs, Map<String, TFloat32> variables,
      FunctionBody body) throws Exception {
    List<String> names = new ArrayList<>(variables.keySet());
    List<String> outputKeys = new ArrayList<>();
    org.tensorflow.ConcreteFunction fn;
    try (Graph fg = new Graph()) {
      Ops tf = Ops.create(fg);
      Map<String, Placeholder<TFloat32>> in = new java.util.LinkedHashMap<>();
      inputs.forEach((k, shape) -> in.put(k, tf.placeholder(TFloat32.class, Placeholder.shape(shape))));
      Map<String, Operand<?>> handles = new java.util.LinkedHashMap<>();
      names.forEach(n -> handles.put(n, tf.varHandleOp(TFloat32.class, variables.get(n).shape())));
      Map<String, Operand<?>> outs = body.build(tf, in, n -> tf.readVariableOp(handles.get(n), TFloat32.class));
      org.tensorflow.Signature.Builder sig = org.tensorflow.Signature.builder("__inference_call_7");
      in.forEach(sig::input);
      handles.forEach(sig::input);
      outs.forEach((k, o) -> {
        sig.output(k, o);
        outputKeys.add(k);
      });
      fn = org.tensorflow.ConcreteFunction.create(sig.build(), fg);
    }
    try (fn; Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<Operand<?>> args = new ArrayList<>();
      org.tensorflow.Signature.Builder serving = org.tensorflow.Signature.builder("serving_default");
      inputs.forEach((k, shape) -> {
        Placeholder<TFloat32> p = tf.withName("serving_default_" + k).placeholder(TFloat32.class,
            Placeholder.shape(shape));
        args.add(p);
        serving.input(k, p);
      });
      List<org.tensorflow.op.core.VarHandleOp> handles = new ArrayList<>();
      for (String n : names) {
        var h = tf.withName(n).varHandleOp(TFloat32.class, variables.get(n).shape(),
            org.tensorflow.op.core.VarHandleOp.sharedName(n));
        tf.withInitScope().assignVariableOp(h, tf.constantOf(variables.get(n)));
        handles.add(h);
        args.add(h);
      }
      List<Class<? extends org.tensorflow.types.family.TType>> types = new ArrayList<>();
      outputKeys.forEach(k -> types.add(TFloat32.class));
      var call = tf.withName("StatefulPartitionedCall").statefulPartitionedCall(args, types, fn);
      for (int i = 0; i < outputKeys.size(); i++) {
        serving.output(outputKeys.get(i), tf.withName(i == 0 ? "Identity" : "Identity_" + i)
            .identity((Operand<TFloat32>) call.output().get(i)));
      }
      addResourceSaver(tf, names, handles);
      s.initialize();
      org.tensorflow.SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(serving.build()).export();
    }
    return dir;
  }

  /** {@code save/} nodes for resource variables, where {@code Graph}'s saver lookup finds them. */
  private static void addResourceSaver(Ops tf, List<String> names, List<org.tensorflow.op.core.VarHandleOp> handles) {
    var utf8 = java.nio.charset.StandardCharsets.UTF_8;
    Ops sv = tf.withSubScope("save");
    Placeholder<TString> filename = sv.withName("filename").placeholder(TString.class);
    Operand<TString> keys = sv.constant(utf8, names.toArray(String[]::new));
    Operand<TString> slices = sv.constant(utf8, names.stream().map(n -> "").toArray(String[]::new));
    List<Operand<?>> values = new ArrayList<>();
    handles.forEach(hd -> values.add(sv.readVariableOp(hd, TFloat32.class)));
    var save = sv.train.save(filename, keys, slices, values);
    sv.withControlDependencies(List.of(save)).withName("control_dependency").identity(filename);
    List<Class<? extends org.tensorflow.types.family.TType>> types = new ArrayList<>();
    names.forEach(n -> types.add(TFloat32.class));
    var restored = sv.train.restore(filename, keys, slices, types);
    List<org.tensorflow.op.Op> assigns = new ArrayList<>();
    for (int i = 0; i < handles.size(); i++) {
      assigns.add(sv.assignVariableOp(handles.get(i), restored.tensors().get(i)));
    }
    sv.withControlDependencies(assigns).withName("restore_all").noOp();
  }

  /** The function-based SavedModel's own output for {@code lr}, through its signature. */
  public static float[] runSavedModel(Path dir, String signature, RgbImage lr) {
    try (org.tensorflow.SavedModelBundle b = org.tensorflow.SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 in = tensor(lr);
        org.tensorflow.Result r = b.function(signature).call(Map.of(FUNCTION_INPUT, in))) {
      TFloat32 out = (TFloat32) r.get(FUNCTION_OUTPUT).orElseThrow();
      float[] d = new float[(int) out.shape().size()];
      out.copyTo(DataBuffers.of(d, false, false));
      return d;
    }
  }

  /**
   * Writes any graph {@code body} builds (its weights as {@code tf.variable}s) as a TF1 meta graph
   * {@code dir/model.ckpt.meta} with its checkpoint {@code dir/model.ckpt}, for graphs the importer must refuse.
   */
  public static Path writeMetaGraph(Path dir, java.util.function.Consumer<Ops> body) throws Exception {
    Files.createDirectories(dir);
    String prefix = dir.resolve("model.ckpt").toString();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      body.accept(Ops.create(g));
      s.initialize();
      s.save(prefix);
      Path file = Path.of(prefix + ".meta");
      Files.write(file, MetaGraphDef.newBuilder().setGraphDef(g.toGraphDef()).setSaverDef(SaverDef.newBuilder()
          .setFilenameTensorName("save/filename:0").setSaveTensorName("save/control_dependency:0")
          .setRestoreOpName("save/restore_all")).build().toByteArray());
      return file;
    }
  }

  /** The original frozen graph's output for {@code lr}, run by TensorFlow from the file. */
  public static float[] runFrozen(Path file, RgbImage lr) throws Exception {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(file)));
      return run(s, lr);
    }
  }

  /** The original meta graph's output for {@code lr}, with its variables restored by its own saver. */
  public static float[] runMetaGraph(Path meta, String checkpointPrefix, RgbImage lr) throws Exception {
    MetaGraphDef m = MetaGraphDef.parseFrom(Files.readAllBytes(meta));
    try (Graph g = new Graph(); Session s = new Session(g);
        TString p = TString.scalarOf(checkpointPrefix)) {
      g.importGraphDef(m.getGraphDef());
      if (m.hasSaverDef()) {
        s.runner().feed(m.getSaverDef().getFilenameTensorName(), p).addTarget(m.getSaverDef().getRestoreOpName())
            .run();
      } else {
        // Resource variables saved under their names: read each back with RestoreV2 and assign it.
        Ops tf = Ops.create(g).withSubScope("test_restore");
        var utf8 = java.nio.charset.StandardCharsets.UTF_8;
        String[] names = {"conv1_w", "conv1_b", "conv2_w", "conv2_b"};
        List<Class<? extends org.tensorflow.types.family.TType>> types = new ArrayList<>();
        for (String n : names) {
          types.add(TFloat32.class);
        }
        var restored = tf.train.restore(tf.constant(checkpointPrefix), tf.constant(utf8, names),
            tf.constant(utf8, new String[] {"", "", "", ""}), types);
        Session.Runner run = s.runner();
        for (int i = 0; i < names.length; i++) {
          run.addTarget(tf.assignVariableOp(g.operation(names[i]).output(0), restored.tensors().get(i)));
        }
        run.run();
      }
      return run(s, lr);
    }
  }

  private static float[] run(Session s, RgbImage lr) {
    try (TFloat32 in = tensor(lr); TFloat32 out = (TFloat32) s.runner().feed(INPUT, in).fetch(OUTPUT).run().get(0)) {
      float[] d = new float[(int) out.shape().size()];
      out.copyTo(DataBuffers.of(d, false, false));
      return d;
    }
  }

  public static TFloat32 tensor(RgbImage img) {
    return TFloat32.tensorOf(Shape.of(1, img.height(), img.width(), 3), DataBuffers.of(img.data(), true, false));
  }

  /** A seeded noise image. */
  public static RgbImage noise(int h, int w, long seed) {
    Random r = new Random(seed);
    float[] d = new float[h * w * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    return new RgbImage(h, w, d);
  }
}
