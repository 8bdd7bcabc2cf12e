package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.UserInputException;
import dev.srtune.graph.train.ModelVariable;
import dev.srtune.graph.train.TrainableVariables;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * {@code --train-layers} on a real graph: three convolutions with biases, and a skip connection that brings the
 * first convolution's output straight to the output (so "nearest by any path" would pick it); names that say nothing
 * of the order (the last layer is called "a").
 */
class TrainLayersTest {
  private static Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, String name, int cin, int cout, long seed) {
    Ops s = tf.withSubScope(name);
    Variable<TFloat32> k = s.withName("kernel").variable(s.random.statelessRandomNormal(
        s.constant(new long[] {3, 3, cin, cout}), s.constant(new long[] {seed, 1}), TFloat32.class));
    Variable<TFloat32> b = s.withName("bias").variable(s.zeros(s.constant(new long[] {cout}), TFloat32.class));
    return s.nn.biasAdd(s.nn.conv2d(x, s.math.mul(k, s.constant(0.05f)), List.of(1L, 1L, 1L, 1L), "SAME"), b);
  }

  private interface Check {
    void run(Graph g, Session s, Placeholder<TFloat32> lr, Operand<TFloat32> sr, List<ModelVariable> all);
  }

  private static void withNetwork(Check check) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = TinyModels.input(tf);
      Operand<TFloat32> first = conv(tf, lr, "z_first", 3, 8, 1);
      Operand<TFloat32> mid = conv(tf, tf.nn.relu(first), "m_mid", 8, 8, 2);
      Operand<TFloat32> last = conv(tf, tf.math.add(tf.nn.relu(mid), first), "a_last", 8, 3, 3);
      Operand<TFloat32> sr = tf.withName("sr").identity(TinyModels.nearestUp(tf, tf.math.add(last, lr), 2));
      s.initialize();
      check.run(g, s, lr, sr, TrainableVariables.feeding(g, sr, FineTuner.SCOPE));
    }
  }

  private static List<String> names(List<ModelVariable> v) {
    return v.stream().map(ModelVariable::name).sorted().toList();
  }

  @Test
  void lastNTakesTheLayersNearestTheOutputByTheLongestPathWithTheirBiases() {
    withNetwork((g, s, lr, sr, all) -> {
      assertEquals(6, all.size());
      assertEquals(List.of("a_last/bias", "a_last/kernel"),
          names(TrainLayers.parse("last:1").select(g, sr.asOutput(), all)));
      assertEquals(List.of("a_last/bias", "a_last/kernel", "m_mid/bias", "m_mid/kernel"),
          names(TrainLayers.parse("last:2").select(g, sr.asOutput(), all)));
      assertEquals(6, TrainLayers.parse("last:9").select(g, sr.asOutput(), all).size());
      assertEquals(all, TrainLayers.ALL.select(g, sr.asOutput(), all));
      assertEquals(List.of("m_mid/kernel"), names(TrainLayers.parse("mid/k").select(g, sr.asOutput(), all)));
    });
  }

  /**
   * The layers (of z_first, m_mid, a_last) whose kernel moved through five steps training {@code spec}, after
   * checking the tuner took {@code variables} variables.
   */
  private static List<String> moved(String spec, int variables) {
    List<String> layers = List.of("z_first", "m_mid", "a_last");
    List<String> moved = new java.util.ArrayList<>();
    withNetwork((g, s, lr, sr, all) -> {
      FineTuneOptions o = Schedules.fast(TinyModels.averagePool(2)).withMaxIterations(5)
          .withStopRule(StopRule.none()).withTrainLayers(TrainLayers.parse(spec));
      List<Float> before = layers.stream().map(l -> value(s, l + "/kernel")).toList();
      try (FineTuner t = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o)) {
        assertEquals(variables, t.variables().size());
        t.run(FineTunerTest.image(16, 16, 4), IterationListener.none());
      }
      for (int i = 0; i < layers.size(); i++) {
        if (before.get(i) != value(s, layers.get(i) + "/kernel")) {
          moved.add(layers.get(i));
        }
      }
    });
    return moved;
  }

  /** Only the selected weights move; the others keep their pretrained values through a run. */
  @Test
  void aRunMovesOnlyTheSelectedWeights() {
    assertEquals(List.of("a_last"), moved("last:1", 2));
  }

  /**
   * A share is of the network's layers, and what it selects is what trains: 34 % of three layers is two, and both
   * move (a share taken again of the selection would have left one).
   */
  @Test
  void aShareSelectsOfTheWholeNetworkAndEveryLayerItSelectsTrains() {
    assertEquals(List.of("m_mid", "a_last"), moved("last:34%", 4));
  }

  /**
   * A planned run whose schedule does not fit its budget trains the layers nearest the output: the first layer keeps
   * its pretrained value, the start is the pretrained network's (its probes undone), report fields say so.
   */
  @Test
  void aCompressedPlanTrainsTheLastLayersAndStartsFromThePretrainedWeights() {
    withNetwork((g, s, lr, sr, all) -> {
      FineTuneOptions o = Schedules.fast(TinyModels.averagePool(2))
          .withTimeBudget(java.time.Duration.ofMillis(400)); // fast's 300 iterations do not fit
      RgbImage y = FineTunerTest.image(16, 16, 4);
      float before = value(s, "z_first/kernel");
      try (FineTuner t = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o)) {
        double start = t.evaluate(y, 0, 0).lrPsnr();
        FineTuneResult r = t.run(y, IterationListener.none());
        assertEquals(BudgetPlanner.CHEAPER_LAYERS, r.plan().trainLayers(), r.plan().howSpent());
        assertTrue(r.plan().maxIterations() < 300, r.plan().howSpent());
        assertEquals(start, r.startRecord().lrPsnr(), 1e-6, "the probes were undone");
        assertEquals(before, value(s, "z_first/kernel"));
        t.resetToPretrained();
        assertEquals(start, t.evaluate(y, 0, 0).lrPsnr(), 1e-6, "the pretrained snapshot survived the new slots");
      }
    });
  }

  /**
   * Training the last layer, the frozen part's features are computed once on the whole image and a step on a window
   * is fed their slices: the network's output from them is the whole image's on that window one LR pixel in from its
   * border (only the trained convolution pads there), where the window computed alone differs (three convolutions'
   * zero padding reach three pixels in).
   */
  @Test
  void aStepIsFedTheFrozenPartsFeaturesSlicedFromTheWholeImage() {
    withNetwork((g, s, lr, sr, all) -> {
      List<ModelVariable> last = TrainLayers.parse("last:1").select(g, sr.asOutput(), all);
      PrefixFeatures p = PrefixFeatures.of(g, lr.output(), sr.asOutput(), last, false);
      assertEquals(1, p.frontierSize(), "relu(m_mid) + z_first; the input itself is fed anyway");
      RgbImage y = FineTunerTest.image(16, 16, 4);
      Window w = new Window(3, 5, 8, 8);
      List<org.tensorflow.Tensor> open = new java.util.ArrayList<>();
      try (TFloat32 whole = y.toTensor(); TFloat32 crop = Window.stack(y.data(), 16, 16, 3, List.of(w))) {
        RgbImage full = output(s.runner().feed(lr, whole).fetch(sr));
        RgbImage alone = output(s.runner().feed(lr, crop).fetch(sr));
        org.tensorflow.Session.Runner fed = s.runner().feed(lr, crop).fetch(sr);
        assertTrue(p.feed(s, fed, whole, y, List.of(w), open));
        RgbImage sliced = output(fed);
        double sliceError = 0;
        double aloneError = 0;
        for (int r = 2; r < 14; r++) { // HR rows and columns of LR pixels 1..6 of the window (x2)
          for (int c = 2; c < 14; c++) {
            for (int ch = 0; ch < 3; ch++) {
              float truth = full.get(2 * w.top() + r, 2 * w.left() + c, ch);
              sliceError = Math.max(sliceError, Math.abs(sliced.get(r, c, ch) - truth));
              aloneError = Math.max(aloneError, Math.abs(alone.get(r, c, ch) - truth));
            }
          }
        }
        assertTrue(sliceError < 1e-5, "from the slices: " + sliceError);
        assertTrue(aloneError > 1e-4, "the window alone differs near its border: " + aloneError);
      } finally {
        open.forEach(org.tensorflow.Tensor::close);
      }
      assertEquals(0, PrefixFeatures.of(g, lr.output(), sr.asOutput(), all, true).frontierSize());
    });
  }

  private static RgbImage output(org.tensorflow.Session.Runner r) {
    try (org.tensorflow.Result res = r.run()) {
      return RgbImage.fromTensor((TFloat32) res.get(0));
    }
  }

  private static float value(Session s, String var) {
    try (TFloat32 t = (TFloat32) s.runner().fetch(var).run().get(0)) {
      return t.getFloat(0, 0, 0, 0);
    }
  }

  @Test
  void aBadSelectionIsOneSentence() {
    assertThrows(UserInputException.class, () -> TrainLayers.parse("last:0"));
    assertThrows(UserInputException.class, () -> TrainLayers.parse("last:x"));
    assertThrows(UserInputException.class, () -> TrainLayers.parse("conv_[("));
    withNetwork((g, s, lr, sr, all) -> {
      UserInputException e = assertThrows(UserInputException.class,
          () -> TrainLayers.parse("nothing_here").select(g, sr.asOutput(), all));
      assertTrue(e.getMessage().contains("matches none"), e.getMessage());
    });
  }
}
