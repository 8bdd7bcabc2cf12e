package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Every real third-party model in {@code ../shared/models/tf-real/} (OpenCV dnn_superres frozen graphs, DCSCN TF1
 * checkpoints) imports with no option, and the imported network computes what the original graph computes: the
 * original runs in its own session, fed as its authors' inference code feeds it (the Y plane of the image, computed
 * here on the host in double; DCSCN also its bicubic input, the imported model's own, and dropout keep 1, training
 * false), and its output is compared with the imported network's on the same RGB crop of Set5 bird.
 */
@Tag("integration")
class RealTfModelsTest {
  /** What the issue asks of an import: the original's output to within float rounding. */
  static final double FIDELITY = 1e-5;
  @TempDir static Path tmp;
  private static final Map<Path, Path> BUILT = new ConcurrentHashMap<>();

  static Stream<Path> realModels() throws IOException {
    Path dir = Shared.path("models/tf-real");
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".pb") || p.toString().endsWith(".ckpt.meta")).sorted()
          .toList();
      return files.stream();
    }
  }

  /** The model imported with no option but the file (built once per file). */
  static Path imported(Path file) {
    return BUILT.computeIfAbsent(file, f -> {
      Path out = tmp.resolve(f.getFileName().toString().replace('.', '_'));
      try {
        if (f.toString().endsWith(".pb")) {
          FrozenGraphImporter.build(f, GraphImport.Options.found(), out);
        } else {
          MetaGraphImporter.build(f, MetaGraphImporter.defaultCheckpoint(f), GraphImport.Options.found(), out);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return out;
    });
  }

  static JsonObject metadata(Path model) throws IOException {
    return JsonParser.parseString(Files.readString(model.resolve("srtune.json"))).getAsJsonObject();
  }

  static RgbImage crop() {
    return ImageFiles.read(Shared.path("datasets/Set5/bird.png")).crop(100, 80, 36, 30);
  }

  @ParameterizedTest
  @MethodSource("realModels")
  void importsWithNoOptionAndComputesWhatTheOriginalComputes(Path file) throws Exception {
    Path model = imported(file);
    JsonObject meta = metadata(model);
    String input = meta.get("graph_input").getAsString();
    String output = meta.get("graph_output").getAsString();
    float range = meta.get("value_range").getAsFloat();
    boolean y = meta.get("network_channels").getAsString().startsWith("y");
    String bicubicInput = meta.has("bicubic_input") ? meta.get("bicubic_input").getAsString() : null;
    RgbImage lr = crop();

    float[] got;
    float[] bicubic = null;
    Shape bicubicShape = null;
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve"); TFloat32 x = lr.toTensor()) {
      Session.Runner run = b.session().runner().feed("lr", x).fetch(InferenceSubgraph.PREFIX + output);
      if (bicubicInput != null) {
        run.fetch(NetworkExport.NETWORK_INPUT + InferenceSubgraph.BICUBIC_SUFFIX);
      }
      try (Result r = run.run()) {
        got = floats((TFloat32) r.get(0));
        if (bicubicInput != null) {
          bicubic = floats((TFloat32) r.get(1));
          bicubicShape = r.get(1).shape();
        }
      }
    }

    float[] hostIn = networkInput(lr, y, range);
    Shape inShape = Shape.of(1, lr.height(), lr.width(), y ? 1 : 3);
    float[] expected;
    if (file.toString().endsWith(".pb")) {
      try (Graph g = new Graph()) {
        g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(file)));
        try (Session s = new Session(g)) {
          expected = runOriginal(s, input, hostIn, inShape, bicubicInput, bicubic, bicubicShape, Map.of(), output);
        }
      }
    } else {
      MetaGraphDef mg = MetaGraphDef.parseFrom(Files.readAllBytes(file));
      try (Graph g = new Graph()) {
        g.importGraphDef(mg.getGraphDef());
        try (Session s = new Session(g);
            TString prefix = TString.scalarOf(MetaGraphImporter.defaultCheckpoint(file).toAbsolutePath().toString())) {
          s.runner().feed(mg.getSaverDef().getFilenameTensorName(), prefix)
              .addTarget(mg.getSaverDef().getRestoreOpName()).run();
          Map<String, String> settings = new java.util.HashMap<>();
          if (meta.has("inference_settings")) {
            meta.getAsJsonObject("inference_settings").entrySet()
                .forEach(e -> settings.put(e.getKey(), e.getValue().getAsString()));
          }
          expected = runOriginal(s, input, hostIn, inShape, bicubicInput, bicubic, bicubicShape, settings, output);
        }
      }
    }
    assertEquals(expected.length, got.length, "output sizes differ");
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - got[i]) / range);
    }
    System.out.printf("%s: imported vs original graph, max abs error %.3g (on [0,1])%n", file.getFileName(), max);
    assertTrue(max <= FIDELITY, file.getFileName() + ": max abs error " + max);
  }

  /**
   * FSRCNN-small x4 built for x2 ({@link ScaleChange}): its depth-to-space stage is followed only by a bias, so the
   * pooled network's output must equal the original x4 output box-filtered 2x2 (computed here on the host).
   */
  @org.junit.jupiter.api.Test
  void aX4DepthToSpaceNetworkBuiltForX2IsTheBoxFilteredX4() throws Exception {
    Path pb = Shared.path("models/tf-real/opencv/FSRCNN/FSRCNN-small_x4.pb");
    Path model = tmp.resolve("fsrcnn-small-x2");
    GraphImport.Imported imp = FrozenGraphImporter.build(pb, new GraphImport.Options(null, null, 2, null,
        NetworkAdapters.found()), model);
    assertEquals(2, imp.scale());
    RgbImage lr = crop();
    float[] got;
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve"); TFloat32 x = lr.toTensor();
        Result r = b.session().runner().feed("lr", x).fetch(InferenceSubgraph.PREFIX + imp.output()).run()) {
      got = floats((TFloat32) r.get(0));
    }
    float[] x4;
    try (Graph g = new Graph()) {
      g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(pb)));
      try (Session s = new Session(g)) {
        x4 = runOriginal(s, imp.input(), networkInput(lr, true, 1f), Shape.of(1, lr.height(), lr.width(), 1), null,
            null, null, Map.of(), imp.output());
      }
    }
    int h = lr.height() * 2;
    int w = lr.width() * 2;
    double max = 0;
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        double box = 0;
        for (int di = 0; di < 2; di++) {
          for (int dj = 0; dj < 2; dj++) {
            box += x4[(2 * i + di) * (2 * w) + 2 * j + dj] / 4.0;
          }
        }
        max = Math.max(max, Math.abs(box - got[i * w + j]));
      }
    }
    System.out.printf("FSRCNN-small x4 built for x2 vs the box-filtered x4 original: max abs error %.3g%n", max);
    assertTrue(max <= FIDELITY, "max abs error " + max);
  }

  /** A scale that does not divide the network's own cannot be made without an untrained layer: one sentence. */
  @org.junit.jupiter.api.Test
  void aScaleThatDoesNotDivideTheNetworksIsRefused() {
    Path pb = Shared.path("models/tf-real/opencv/FSRCNN/FSRCNN_x3.pb");
    GraphImportException e = org.junit.jupiter.api.Assertions.assertThrows(GraphImportException.class,
        () -> FrozenGraphImporter.build(pb, new GraphImport.Options(null, null, 2, null, NetworkAdapters.found()),
            tmp.resolve("fsrcnn-x3-at-x2")));
    assertTrue(e.getMessage().startsWith("A x2 network cannot be made from the x3 depth-to-space stage")
        && e.getMessage().endsWith("build it at x3."), e.getMessage());
    assertTrue(!Files.exists(tmp.resolve("fsrcnn-x3-at-x2")), "nothing written");
  }

  /** What the network takes, computed on the host: Y (full-range BT.601, as OpenCV) or RGB, times its range. */
  static float[] networkInput(RgbImage img, boolean y, float range) {
    int n = img.height() * img.width();
    float[] out = new float[y ? n : 3 * n];
    for (int i = 0; i < n; i++) {
      double r = img.data()[3 * i];
      double g = img.data()[3 * i + 1];
      double b = img.data()[3 * i + 2];
      if (y) {
        out[i] = (float) ((0.299 * r + 0.587 * g + 0.114 * b) * range);
      } else {
        out[3 * i] = (float) (r * range);
        out[3 * i + 1] = (float) (g * range);
        out[3 * i + 2] = (float) (b * range);
      }
    }
    return out;
  }

  /**
   * The original graph's output: its input fed {@code in}, its bicubic input (if any) {@code bicubic}, and each
   * setting placeholder the value its authors' inference feeds (keep probability 1, rate 0, training flags false).
   */
  static float[] runOriginal(Session s, String input, float[] in, Shape inShape, String bicubicInput, float[] bicubic,
      Shape bicubicShape, Map<String, String> settings, String output) {
    List<Tensor> fed = new java.util.ArrayList<>();
    try {
      Session.Runner run = s.runner();
      TFloat32 x = TFloat32.tensorOf(inShape, DataBuffers.of(in, true, false));
      fed.add(x);
      run.feed(input, x);
      if (bicubicInput != null) {
        TFloat32 b = TFloat32.tensorOf(bicubicShape, DataBuffers.of(bicubic, true, false));
        fed.add(b);
        run.feed(bicubicInput, b);
      }
      for (Map.Entry<String, String> e : settings.entrySet()) {
        Tensor t = e.getValue().startsWith("false") ? TBool.scalarOf(false)
            : e.getValue().startsWith("1 (") ? TFloat32.scalarOf(1f)
            : e.getValue().startsWith("0 (") ? TFloat32.scalarOf(0f) : null;
        if (t != null) {
          fed.add(t);
          run.feed(e.getKey(), t);
        }
      }
      try (Result r = run.fetch(output).run()) {
        return floats((TFloat32) r.get(0));
      }
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  static float[] floats(TFloat32 t) {
    float[] a = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(a, false, false));
    return a;
  }
}
