package dev.srtune.graph.tfjs;

import static dev.srtune.graph.tfjs.TinyTfjsModel.array;
import static dev.srtune.graph.tfjs.TinyTfjsModel.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.graph.savedmodel.SrSignature;
import dev.srtune.graph.train.ModelVariable;
import dev.srtune.graph.train.TrainableVariables;
import dev.srtune.testing.Arrays2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The importer on tiny model.json + shard files the test writes itself, against plain-loop references of the
 * Keras layers ({@link HostTensor}): float32 and uint8-quantised weights, scale surgery, errors, gradients.
 */
class TfjsImporterTest {
  private static final int H = 5;
  private static final int W = 6;
  @TempDir Path tmp;

  /** RDN-like: conv+relu, Activation, Concatenate, 1×1 conv, Add, UpSampling2D ×2, conv. Works in 0..255. */
  static TinyTfjsModel rdnLike() {
    return new TinyTfjsModel().input("LR")
        .conv("c1", "LR", 3, 3, 4, "same", "relu")
        .layer("Activation", "a1", config("activation", "tanh"), "c1")
        .layer("Concatenate", "cat", config("axis", 3), "LR", "a1")
        .conv("c2", "cat", 1, 7, 3, "valid", "linear")
        .layer("Add", "add", config(), "c2", "LR")
        .layer("UpSampling2D", "up", config("size", array(2, 2), "interpolation", "nearest"), "add")
        .conv("sr", "up", 3, 3, 3, "same", "linear");
  }

  static HostTensor rdnLikeReference(Map<String, float[]> w, HostTensor lr255, int scale) {
    HostTensor c1 = lr255.conv(w.get("c1/kernel"), w.get("c1/bias"), 3, 4, true).map(v -> Math.max(0, v));
    HostTensor cat = lr255.concat(c1.map(Math::tanh));
    HostTensor add = cat.conv(w.get("c2/kernel"), w.get("c2/bias"), 1, 3, false).plus(lr255);
    return add.repeat(scale).conv(w.get("sr/kernel"), w.get("sr/bias"), 3, 3, true);
  }

  /** RRDN-like: conv+relu, conv to 48 channels, PixelShuffle4x, MultiplyBeta, conv. Works in 0..1. */
  static TinyTfjsModel shuffleLike() {
    return new TinyTfjsModel().input("LR_input")
        .conv("c0", "LR_input", 3, 3, 8, "same", "relu")
        .conv("PreShuffle", "c0", 3, 8, 48, "same", "linear")
        .layer("PixelShuffle4x", "pixel_shuffle", config("scale", 4), "PreShuffle")
        .layer("MultiplyBeta", "beta", config("beta", 0.2), "pixel_shuffle")
        .conv("SR", "beta", 3, 3, 3, "same", "linear");
  }

  /** At ×2 the ×4 sub-pixel grid is box-averaged 2×2 before the last conv (ScaleSurgery's pooling). */
  static HostTensor shuffleLikeReference(Map<String, float[]> w, HostTensor lr, int scale) {
    HostTensor c0 = lr.conv(w.get("c0/kernel"), w.get("c0/bias"), 3, 8, true).map(v -> Math.max(0, v));
    HostTensor x4 = c0.conv(w.get("PreShuffle/kernel"), w.get("PreShuffle/bias"), 3, 48, true).depthToSpace(4);
    return x4.boxDown(4 / scale).map(v -> v * 0.2f).conv(w.get("SR/kernel"), w.get("SR/bias"), 3, 3, true);
  }

  static HostTensor randomImage() {
    Random r = new Random(7);
    float[] d = new float[H * W * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    return new HostTensor(H, W, 3, d);
  }

  @ParameterizedTest(name = "uint8 = {0}")
  @ValueSource(booleans = {false, true})
  void rdnLikeMatchesReferenceInItsValueRange(boolean uint8) throws Exception {
    TinyTfjsModel tiny = rdnLike();
    Path json = tiny.write(tmp.resolve("rdn"), uint8);
    HostTensor lr = randomImage();
    TfjsImporter.Imported imp = TfjsImporter.build(json, TfjsImporter.Options.nativeScale(), tmp.resolve("sm"));
    assertEquals(TfjsImporter.Architecture.RDN, imp.architecture());
    assertEquals(255f, imp.valueRange());
    assertEquals(2, imp.scale());
    HostTensor expected = rdnLikeReference(tiny.weights, lr.map(v -> v * 255), 2).map(v -> v / 255);
    assertClose(expected, run(tmp.resolve("sm"), lr), 1e-4);
  }

  @Test
  void uint8ManifestIsDequantisedWithMinAndScale() throws Exception {
    TinyTfjsModel tiny = rdnLike();
    Path json = tiny.write(tmp.resolve("q"), true);
    String text = Files.readString(json);
    assertTrue(text.contains("\"uint8\""), "the test model is quantised");
    assertEquals(Files.size(json.resolveSibling("group1-shard1of1.bin")),
        tiny.weights.values().stream().mapToLong(v -> v.length).sum(), "one byte per weight");
    LayersModel m = LayersModel.read(json);
    for (var e : tiny.weights.entrySet()) {
      assertEquals(0, Arrays2.maxAbsDiff(e.getValue(), m.weights().get(e.getKey()).values()), e.getKey());
    }
  }

  @Test
  void upsamplingSurgeryChangesTheNearestNeighbourFactor() throws Exception {
    TinyTfjsModel tiny = rdnLike();
    Path json = tiny.write(tmp.resolve("rdn"), false);
    TfjsImporter.Imported imp = TfjsImporter.build(json, TfjsImporter.Options.nativeScale().withScale(3),
        tmp.resolve("sm3"));
    assertEquals(3, imp.scale());
    assertEquals(2, imp.nativeScale());
    HostTensor lr = randomImage();
    HostTensor expected = rdnLikeReference(tiny.weights, lr.map(v -> v * 255), 3).map(v -> v / 255);
    assertClose(expected, run(tmp.resolve("sm3"), lr), 1e-4);
  }

  @ParameterizedTest(name = "x{0}")
  @ValueSource(ints = {4, 2})
  void pixelShuffleModelAtNativeAndPooledScales(int scale) throws Exception {
    TinyTfjsModel tiny = shuffleLike();
    Path json = tiny.write(tmp.resolve("rrdn"), false);
    TfjsImporter.Imported imp = TfjsImporter.build(json, TfjsImporter.Options.nativeScale().withScale(scale),
        tmp.resolve("sm"));
    assertEquals(TfjsImporter.Architecture.RRDN, imp.architecture());
    assertEquals(1f, imp.valueRange());
    assertEquals(4, imp.nativeScale());
    HostTensor lr = randomImage();
    assertClose(shuffleLikeReference(tiny.weights, lr, scale), run(tmp.resolve("sm"), lr), 1e-5);
  }

  @Test
  void pixelShuffleScaleNotDividingIsRefusedInOneSentence() throws Exception {
    Path json = shuffleLike().write(tmp.resolve("rrdn"), false);
    TfjsModelException e = assertThrows(TfjsModelException.class,
        () -> TfjsImporter.build(json, TfjsImporter.Options.nativeScale().withScale(3), tmp.resolve("sm")));
    assertTrue(e.getMessage().contains("x3") && e.getMessage().contains("pixel_shuffle"), e.getMessage());
    assertTrue(!Files.exists(tmp.resolve("sm")), "nothing written");
  }

  @Test
  void unknownLayerClassIsAnErrorNamingTheLayer() throws Exception {
    TinyTfjsModel tiny = new TinyTfjsModel().input("LR")
        .conv("c1", "LR", 3, 3, 3, "same", "relu")
        .layer("FancyUpsampler", "fancy_up", config("factor", 2), "c1");
    Path json = tiny.write(tmp.resolve("unknown"), false);
    TfjsModelException e = assertThrows(TfjsModelException.class,
        () -> TfjsImporter.build(json, TfjsImporter.Options.nativeScale(), tmp.resolve("sm")));
    assertTrue(e.getMessage().contains("'fancy_up'") && e.getMessage().contains("FancyUpsampler"), e.getMessage());
  }

  @Test
  void unknownActivationIsAnErrorNamingTheLayer() throws Exception {
    Path json = new TinyTfjsModel().input("LR").conv("c1", "LR", 3, 3, 3, "same", "gelu")
        .write(tmp.resolve("act"), false);
    TfjsModelException e = assertThrows(TfjsModelException.class,
        () -> TfjsImporter.build(json, TfjsImporter.Options.nativeScale(), tmp.resolve("sm")));
    assertTrue(e.getMessage().contains("'c1'") && e.getMessage().contains("gelu"), e.getMessage());
  }

  @Test
  void truncatedShardIsAnError() throws Exception {
    Path json = rdnLike().write(tmp.resolve("short"), false);
    Path shard = json.resolveSibling("group1-shard1of1.bin");
    byte[] b = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(b, b.length - 8));
    TfjsModelException e = assertThrows(TfjsModelException.class, () -> LayersModel.read(json));
    assertTrue(e.getMessage().contains("sr/bias"), e.getMessage());
  }

  /**
   * Every op the importer emits has a registered gradient: d(mean sr²)/dw is computed for every variable of both
   * tiny models (all supported layer kinds, including the pooled pixel shuffle) and is not all zero.
   */
  @Test
  void gradientsReachEveryVariable() throws Exception {
    Path rdn = tmp.resolve("g-rdn");
    Path rrdn = tmp.resolve("g-rrdn");
    TfjsImporter.build(rdnLike().write(tmp.resolve("rdn"), true), TfjsImporter.Options.nativeScale(), rdn);
    TfjsImporter.build(shuffleLike().write(tmp.resolve("rrdn"), false),
        TfjsImporter.Options.nativeScale().withScale(2), rrdn);
    Set<String> opTypes = new HashSet<>();
    for (Path model : List.of(rdn, rrdn)) {
      try (SavedModelBundle b = SavedModelBundle.load(model.toString(), SrSignature.TAG)) {
        Graph g = b.graph();
        Ops tf = Ops.create(g);
        Operand<TFloat32> sr = g.operation(SrSignature.OUTPUT).output(0);
        g.subgraphTo(Set.of(sr)).forEach(op -> opTypes.add(((GraphOperation) op).type()));
        List<ModelVariable> vars = TrainableVariables.feeding(g, sr, null);
        Operand<TFloat32> loss = tf.math.mean(tf.math.square(tf.identity(sr)), tf.constant(new int[] {0, 1, 2, 3}));
        List<Output<?>> xs = new ArrayList<>();
        vars.forEach(v -> xs.add(v.op().output(0)));
        Output<?>[] grads = g.addGradients(loss.asOutput(), xs.toArray(Output[]::new));
        HostTensor lr = randomImage();
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(1, H, W, 3), DataBuffers.of(lr.d(), true, false))) {
          var runner = b.session().runner().feed(SrSignature.INPUT, x);
          for (Output<?> gr : grads) {
            runner.fetch(gr);
          }
          try (Result r = runner.run()) {
            for (int i = 0; i < grads.length; i++) {
              TFloat32 t = (TFloat32) r.get(i);
              float[] v = new float[(int) t.size()];
              t.asRawTensor().data().asFloats().read(v);
              double sum = 0;
              for (float f : v) {
                assertTrue(Float.isFinite(f), vars.get(i).name());
                sum += Math.abs(f);
              }
              assertNotEquals(0.0, sum, "gradient of " + vars.get(i).name() + " in " + model.getFileName());
            }
          }
        }
        assertEquals(6, vars.size(), "three convolutions, kernel and bias each");
      }
    }
    for (String type : List.of("Conv2D", "BiasAdd", "Relu", "Tanh", "ConcatV2", "Add", "ResizeNearestNeighbor",
        "DepthToSpace", "Mul")) {
      assertTrue(opTypes.contains(type), type + " was exercised");
    }
  }

  static HostTensor run(Path model, HostTensor lr) {
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), SrSignature.TAG);
        TFloat32 x = TFloat32.tensorOf(Shape.of(1, lr.h(), lr.w(), 3), DataBuffers.of(lr.d(), true, false));
        Result r = b.session().runner().feed(SrSignature.INPUT, x).fetch(SrSignature.OUTPUT).run()) {
      TFloat32 y = (TFloat32) r.get(0);
      Shape s = y.shape();
      float[] v = new float[(int) y.size()];
      y.asRawTensor().data().asFloats().read(v);
      return new HostTensor((int) s.get(1), (int) s.get(2), (int) s.get(3), v);
    }
  }

  static void assertClose(HostTensor expected, HostTensor actual, double tol) {
    assertEquals(expected.h(), actual.h(), "height");
    assertEquals(expected.w(), actual.w(), "width");
    assertEquals(expected.c(), actual.c(), "channels");
    double err = Arrays2.maxAbsDiff(expected.d(), actual.d());
    assertTrue(err <= tol, "max abs error " + err);
  }
}
