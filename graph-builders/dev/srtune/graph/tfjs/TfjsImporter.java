package dev.srtune.graph.tfjs;

import dev.srtune.graph.savedmodel.SrSavedModelWriter;
import dev.srtune.graph.savedmodel.SrSignature;
import dev.srtune.graph.tfjs.LayersModelGraph.ImportedVariable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Imports a TF.js LayersModel as an srtune SavedModel: reads {@code model.json} and its shards, adapts the scale
 * if asked ({@link ScaleSurgery}), builds the network as plain ops with ref variables, assigns the weights and
 * exports with the {@link SrSignature} contract. The model's own value range lives inside the graph:
 * {@code sr = f(lr · range) / range}.
 */
public final class TfjsImporter {
  private TfjsImporter() {}

  /**
   * The value range a network's input and output use. UpscalerJS declares it per architecture: RDN models work
   * on 0..255, RRDN models (the ones with the custom PixelShuffle/MultiplyBeta layers) on 0..1.
   */
  public enum Architecture {
    RDN(255f),
    RRDN(1f);

    public final float valueRange;

    Architecture(float valueRange) {
      this.valueRange = valueRange;
    }

    /** RRDN when the model uses UpscalerJS' RRDN-only custom layers, else RDN. */
    public static Architecture of(LayersModel model) {
      for (KerasLayer l : model.layers()) {
        if (PixelShuffle.isPixelShuffle(l) || l.className().equals("MultiplyBeta")) {
          return RRDN;
        }
      }
      return RDN;
    }
  }

  /**
   * @param scale super-resolution factor to build for; 0 = the model's native scale
   * @param valueRange the range the network works in (255 or 1); 0 = from its {@link Architecture}
   * @param metadata extra entries for {@code srtune.json} (name, source, licence...)
   */
  public record Options(int scale, float valueRange, Map<String, Object> metadata) {
    public static Options nativeScale() {
      return new Options(0, 0, Map.of());
    }

    public Options withScale(int s) {
      return new Options(s, valueRange, metadata);
    }
  }

  /** What was written. */
  public record Imported(int scale, int nativeScale, Architecture architecture, float valueRange, String surgery,
      int variables) {}

  public static Imported build(Path modelJson, Options options, Path out) throws IOException {
    LayersModel model = LayersModel.read(modelJson);
    int nativeScale = ScaleSurgery.nativeScale(model);
    int scale = options.scale() == 0 ? nativeScale : options.scale();
    ScaleSurgery.Result adapted = ScaleSurgery.toScale(model, scale);
    Architecture arch = Architecture.of(model);
    float range = options.valueRange() > 0 ? options.valueRange() : arch.valueRange;

    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = tf.withName(SrSignature.INPUT)
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Ops net = tf.withSubScope("net");
      Operand<TFloat32> x = range == 1f ? lr : net.math.mul(lr, net.constant(range));
      LayersModelGraph.Built built = LayersModelGraph.build(net, adapted.model(), x);
      Operand<TFloat32> y = range == 1f ? built.output() : net.math.div(built.output(), net.constant(range));
      Operand<TFloat32> sr = tf.withName(SrSignature.OUTPUT).identity(y);
      assignWeights(tf, s, built.variables());

      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("name", model.name());
      meta.putAll(options.metadata());
      meta.put("scale", scale);
      meta.put("native_scale", nativeScale);
      meta.put("architecture", arch.name().toLowerCase(java.util.Locale.ROOT) + " (TF.js LayersModel '"
          + model.name() + "', " + model.layers().size() + " layers)" + (adapted.description().isEmpty() ? ""
          : "; " + adapted.description()));
      meta.put("value_range", range);
      SrSavedModelWriter.export(s, lr, sr, out, meta);
      return new Imported(scale, nativeScale, arch, range, adapted.description(), built.variables().size());
    }
  }

  /**
   * Feeds every weight once through a placeholder into its variable, all in one run (one run per weight costs
   * minutes on the 300-weight RRDN models); the values are not copied into the graph.
   */
  private static void assignWeights(Ops tf, Session s, List<ImportedVariable> vars) {
    Ops w = tf.withSubScope("import_weights");
    List<Placeholder<TFloat32>> placeholders = new ArrayList<>();
    List<Operand<TFloat32>> assigns = new ArrayList<>();
    for (ImportedVariable v : vars) {
      Placeholder<TFloat32> p = w.placeholder(TFloat32.class, Placeholder.shape(v.value().tfShape()));
      placeholders.add(p);
      assigns.add(w.assign(v.variable(), p));
    }
    try (WeightFeeds feeds = new WeightFeeds()) {
      Session.Runner run = s.runner();
      for (int i = 0; i < vars.size(); i++) {
        WeightTensor value = vars.get(i).value();
        run.feed(placeholders.get(i), feeds.add(TFloat32.tensorOf(value.tfShape(),
            DataBuffers.of(value.values(), true, false))));
      }
      assigns.forEach(run::addTarget);
      run.run();
    }
  }

  /** The weight tensors of one run, closed together. */
  private static final class WeightFeeds implements AutoCloseable {
    private final List<TFloat32> tensors = new ArrayList<>();

    TFloat32 add(TFloat32 t) {
      tensors.add(t);
      return t;
    }

    @Override
    public void close() {
      tensors.forEach(TFloat32::close);
    }
  }
}
