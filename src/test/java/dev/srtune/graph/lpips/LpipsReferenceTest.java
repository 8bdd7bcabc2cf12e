package dev.srtune.graph.lpips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.srtune.graph.torch.TorchStateDictReader;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.ReferenceIndex;
import dev.srtune.testing.Shared;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * LPIPS (squeeze) with the published weights against INDEX.json ("lpips": the official PyTorch package in
 * float32 and float64), and its gradient against finite differences.
 */
@Tag("integration")
class LpipsReferenceTest {
  private static LpipsWeights cached;

  /** Loaded once, on first use, so that each test reports itself skipped when ../shared is not there. */
  static synchronized LpipsWeights weights() throws IOException {
    if (cached == null) {
      cached = LpipsWeights.from(LpipsNet.SQUEEZE,
          TorchStateDictReader.read(Shared.path("models/lpips/squeezenet1_1-features.pth")),
          TorchStateDictReader.read(Shared.path("models/lpips/linear_v0.1/squeeze.pth")));
    }
    return cached;
  }

  /** Runs the LPIPS graph on one pair: [distance, tap0, tap1, ...]. */
  static double[] lpips(RgbImage a, RgbImage b) throws IOException {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x0 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Placeholder<TFloat32> x1 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Lpips.Distance d = Lpips.build(tf, weights(), x0, x1);
      try (TFloat32 ta = a.toTensor(); TFloat32 tb = b.toTensor()) {
        Session.Runner r = s.runner().feed(x0, ta).feed(x1, tb).fetch(d.distance());
        d.perTap().forEach(r::fetch);
        try (Result res = r.run()) {
          double[] out = new double[res.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = ((TFloat32) res.get(i)).getFloat(0);
          }
          return out;
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ex_ref_vs_ex_p0", "ex_ref_vs_ex_p1", "butterfly_hr_vs_bicubic_x2_down_up",
      "crop48_clean_vs_noisy", "identical_ex_ref", "identical_butterfly_hr"})
  void matchesOfficialImplementation(String pair) throws IOException {
    JsonObject ref = ReferenceIndex.section("lpips", pair);
    JsonArray inputs = ref.getAsJsonArray("inputs");
    RgbImage a = Shared.referenceImage(inputs.get(0).getAsString());
    RgbImage b = Shared.referenceImage(inputs.get(1).getAsString());
    double[] got = lpips(a, b);
    double expected = ref.get("lpips_float32").getAsDouble();
    System.out.printf("LPIPS squeeze %s: %.7f (reference %.6f, diff %.2g)%n", pair, got[0], expected, got[0] - expected);
    // The reference is rounded to 6 decimals: 5e-7 of rounding plus float32 arithmetic.
    assertEquals(expected, got[0], 2e-6);
    JsonArray taps = ref.getAsJsonArray("per_tap");
    for (int k = 0; k < taps.size(); k++) {
      assertEquals(taps.get(k).getAsDouble(), got[k + 1], 2e-6, "tap " + k);
    }
    if (pair.startsWith("identical")) {
      assertEquals(0.0, got[0]);
    }
  }

  @Test
  void runsAtTheSmallestInputSize() throws IOException {
    int n = LpipsNet.SQUEEZE.minInputSize();
    RgbImage a = Shared.referenceImage("lpips/ex_ref.npy").crop(0, 0, n, n);
    RgbImage b = Shared.referenceImage("lpips/ex_p0.npy").crop(0, 0, n, n);
    double d = lpips(a, b)[0];
    assertTrue(d > 0 && Double.isFinite(d), "LPIPS at " + n + "x" + n + ": " + d);
  }

  @Test
  void tapShapesFollowCeilModePooling() throws IOException {
    // INDEX.json lpips_checks.tap_shapes_for_64x64_input_CHW: 31, 15, 7, 3, 3, 3, 3.
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 64, 64, 3)));
      List<org.tensorflow.Operand<TFloat32>> taps = Lpips.features(tf, weights(), x);
      int[] sizes = {31, 15, 7, 3, 3, 3, 3};
      int[] channels = {64, 128, 256, 384, 384, 512, 512};
      for (int k = 0; k < taps.size(); k++) {
        assertEquals(Shape.of(1, sizes[k], sizes[k], channels[k]), taps.get(k).shape(), "tap " + k);
      }
    }
  }

  /**
   * Derivatives of LPIPS w.r.t. single pixels of its first input: graph gradient vs central differences.
   * Single pixels rather than whole-image directions: a step along a random direction of all 6912 samples crosses
   * many ReLU and max-pool kinks, so its difference quotient converges too slowly to test anything in float32.
   */
  @Test
  void gradientMatchesFiniteDifferences() throws IOException {
    // Under oneDNN (TF 2.18) this graph's gradient comes out ~11 % off at its largest sample (-0.0177 against
    // -0.0201 by finite differences, -0.0200 with oneDNN off); plain, strided and padded convolutions alone check
    // out, so the culprit is elsewhere in the backbone. Fine-tuning takes no LPIPS gradient (LPIPS only measures), so
    // this is checked where TensorFlow's own kernels run: TF_ENABLE_ONEDNN_OPTS=0 mvn test -Dtest=LpipsReferenceTest.
    org.junit.jupiter.api.Assumptions.assumeTrue("0".equals(System.getenv("TF_ENABLE_ONEDNN_OPTS")),
        "LPIPS gradients are wrong under oneDNN (not used by fine-tuning); run with TF_ENABLE_ONEDNN_OPTS=0");
    RgbImage a = Shared.referenceImage("lpips/crop48_noisy.npy");
    RgbImage b = Shared.referenceImage("lpips/crop48_clean.npy");
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x0 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 48, 48, 3)));
      Placeholder<TFloat32> x1 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 48, 48, 3)));
      Lpips.Distance d = Lpips.build(tf, weights(), x0, x1);
      Output<?> grad = g.addGradients(d.distance().asOutput(), new Output<?>[] {x0.asOutput()})[0];
      float[] gv;
      try (TFloat32 ta = a.toTensor(); TFloat32 tb = b.toTensor();
          Result r = s.runner().feed(x0, ta).feed(x1, tb).fetch(grad).run()) {
        gv = RgbImage.fromTensor((TFloat32) r.get(0)).data();
      }
      for (float v : gv) {
        assertTrue(Float.isFinite(v));
      }
      // Samples at ranks 0, 100, ..., 700 of |gradient| (largest first): strong and moderate derivatives.
      Integer[] order = new Integer[gv.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (u, v) -> Float.compare(Math.abs(gv[v]), Math.abs(gv[u])));
      List<String> lines = new ArrayList<>();
      double h = 1e-3;
      for (int rank = 0; rank < 800; rank += 100) {
        int i = order[rank];
        float[] unit = new float[gv.length];
        unit[i] = 1;
        double numeric = (eval(s, x0, x1, d, shifted(a, unit, h), b) - eval(s, x0, x1, d, shifted(a, unit, -h), b))
            / (2 * h);
        lines.add(String.format("sample %d: analytic %.5g numeric %.5g", i, gv[i], numeric));
        assertEquals(numeric, gv[i], 0.05 * Math.abs(numeric) + 2e-5, lines.toString());
      }
      System.out.println("LPIPS gradient check: " + lines);
    }
  }

  private static RgbImage shifted(RgbImage a, float[] dir, double h) {
    float[] v = a.data().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] += (float) (h * dir[i]);
    }
    return new RgbImage(a.height(), a.width(), v);
  }

  private static double eval(Session s, Placeholder<TFloat32> x0, Placeholder<TFloat32> x1, Lpips.Distance d,
      RgbImage a, RgbImage b) {
    try (TFloat32 ta = a.toTensor(); TFloat32 tb = b.toTensor();
        Result r = s.runner().feed(x0, ta).feed(x1, tb).fetch(d.distance()).run()) {
      return ((TFloat32) r.get(0)).getFloat(0);
    }
  }
}
