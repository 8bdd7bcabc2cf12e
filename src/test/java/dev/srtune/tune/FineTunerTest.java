package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.UserInputException;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Arrays2;
import dev.srtune.testing.TinyModels;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The loop on tiny networks whose loss and gradient are known in closed form: sr = w · nearest_up(y) with A =
 * average pooling gives A f(y) = w·y, loss = (w−1)²·m with m = mean(y²), gradient 2(w−1)·m.
 */
class FineTunerTest {
  @TempDir Path tmp;

  static RgbImage image(int h, int w, long seed) {
    Random r = new Random(seed);
    float[] d = new float[h * w * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    return new RgbImage(h, w, d);
  }

  static double meanSquare(RgbImage y) {
    double s = 0;
    for (float v : y.data()) {
      s += (double) v * v;
    }
    return s / y.data().length;
  }

  /** PyTorch SGD with momentum, computed here independently of TensorFlow. */
  static double[] expectedW(double w0, double m, double lr, double mu, int steps) {
    double[] w = new double[steps + 1];
    w[0] = w0;
    double v = 0;
    for (int t = 0; t < steps; t++) {
      double g = 2 * (w[t] - 1) * m;
      v = mu * v + g;
      w[t + 1] = w[t] - lr * v;
    }
    return w;
  }

  interface Net extends BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> {}

  private FineTuneResult runScalar(boolean resource, FineTuneOptions o, RgbImage y, float w0, double[] wOut) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = TinyModels.input(tf);
      Operand<TFloat32> sr = resource ? TinyModels.scalarResource(tf, lr, 2, w0) : TinyModels.scalarRef(tf, lr, 2, w0);
      s.initialize();
      try (FineTuner t = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o)) {
        assertEquals(1, t.variables().size());
        FineTuneResult r = t.run(y, IterationListener.none());
        // The current w is what the network now multiplies by: read it back through the output.
        RgbImage out = t.superResolve(y);
        wOut[0] = out.get(0, 0, 0) / y.get(0, 0, 0);
        return r;
      }
    }
  }

  @ParameterizedTest(name = "resource variables: {0}")
  @ValueSource(booleans = {false, true})
  void momentumStepsMatchPyTorchSgd(boolean resource) {
    RgbImage y = image(6, 5, 1);
    double m = meanSquare(y);
    int steps = 7;
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withLearningRate(0.3, 0.9)
        .withMaxIterations(steps).withStopRule(StopRule.none());
    double[] w = new double[1];
    FineTuneResult r = runScalar(resource, o, y, 0.5f, w);
    double[] expected = expectedW(0.5, m, 0.3, 0.9, steps);
    assertEquals(steps, r.iterations());
    assertEquals(expected[steps], w[0], 1e-5);
    for (int t = 0; t < steps; t++) {
      double loss = Math.pow(expected[t] - 1, 2) * m;
      assertEquals(loss, r.curve().get(t).loss(), 1e-6 + 1e-4 * loss, "loss at iteration " + t);
      assertEquals(-10 * Math.log10(loss), r.curve().get(t).lrPsnr(), 1e-3);
    }
  }

  /**
   * A planned run (a time budget) first times a few steps of its own, then puts the pretrained weights and fresh
   * momentum back: with a budget that fits the whole run, its steps are exactly PyTorch's from the start.
   */
  @Test
  void aPlannedRunUndoesItsProbeAndRunsThePlan() {
    RgbImage y = image(6, 5, 1);
    double m = meanSquare(y);
    int steps = 7;
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withLearningRate(0.3, 0.9)
        .withMaxIterations(steps).withStopRule(StopRule.none()).withTimeBudget(java.time.Duration.ofSeconds(600));
    double[] w = new double[1];
    FineTuneResult r = runScalar(false, o, y, 0.5f, w);
    assertTrue(r.plan().planned());
    assertEquals(steps, r.plan().maxIterations(), r.plan().howSpent());
    assertTrue(r.plan().probe().stepSeconds() > 0 && r.plan().probe().spentSeconds() > 0);
    assertEquals(steps, r.iterations());
    assertEquals(expectedW(0.5, m, 0.3, 0.9, steps)[steps], w[0], 1e-5);
    assertEquals(Math.pow(0.5 - 1, 2) * m, r.startRecord().loss(), 1e-6, "the start is the pretrained network's");
  }

  @Test
  void divergingLossStopsAndKeepsLastFiniteWeights() {
    RgbImage y = image(4, 4, 2);
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withLearningRate(1e6, 0.9)
        .withMaxIterations(100).withStopRule(StopRule.none());
    double[] w = new double[1];
    FineTuneResult r = runScalar(false, o, y, 0.5f, w);
    assertEquals("non_finite_loss", r.stopReason());
    assertTrue(r.iterations() < 100);
    IterationRecord last = r.curve().get(r.curve().size() - 1);
    assertTrue(Double.isFinite(last.loss()));
    assertTrue(Double.isFinite(w[0]), "weights restored to finite values, got " + w[0]);
    assertEquals(last.loss(), r.finalRecord().loss(), 1e-6 * Math.abs(last.loss()), "returned the last good weights");
  }

  /**
   * Backtracking: a step too large for the network makes the LR worse than the start; the weights of the best
   * measurement come back and the rate is halved, and the run then converges. Without momentum each step multiplies
   * w − 1 by (1 − 2·lr·m): −1.5 at the given rate (iteration 1 is worse than the start), −0.25 at half of it.
   */
  @Test
  void keepBestBacktracksWhenAStepMakesTheLrWorseThanTheStart() {
    RgbImage y = image(4, 4, 3);
    double m = meanSquare(y);
    double lr = 2.5 / (2 * m);
    int steps = 5;
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withLearningRate(lr, 0.0)
        .withMaxIterations(steps).withStopRule(StopRule.none()).withKeepBest(true);
    double[] w = new double[1];
    FineTuneResult r = runScalar(true, o, y, 0.8f, w);
    assertEquals(java.util.List.of(1), r.backtracks());
    assertTrue(r.curve().get(1).lrPsnr() < r.startRecord().lrPsnr(), "iteration 1 was worse than the start");
    // The whole-image sampler measures ψ_1 in the run that takes step 1, so ψ_0 comes back after it; steps 2..4 go
    // at half the rate, ramping up over 20 iterations from the backtrack: (t − 1 + 1)/20 of it at step t.
    double expected = 0.8 - 1;
    for (int t = 2; t < steps; t++) {
      expected *= 1 - 2 * lr * m * 0.5 * t / 20.0;
    }
    assertEquals(1 + expected, w[0], 1e-5);
    for (int t = 2; t < r.curve().size(); t++) {
      assertTrue(r.curve().get(t).lrPsnr() >= r.startRecord().lrPsnr(), "iteration " + t + " after the backtrack");
    }
    // Without keep-best the same run oscillates away: nothing is put back.
    FineTuneResult off = runScalar(true, o.withKeepBest(false), y, 0.8f, w);
    assertTrue(off.backtracks().isEmpty());
    assertEquals(1 + Math.pow(-1.5, steps) * (0.8 - 1), w[0], 1e-4);
  }

  /**
   * After a backtrack the plateau rule's window starts again from the weights put back: the measurement that fell is
   * not weighed against the start. The run above with a window of 2 and δ = 1 dB: ψ_2 is ψ_0 put back (measured
   * before its slow step), so read across the backtrack the window (0, 2] gained nothing on the start and the run
   * stopped at 2; read from the backtrack, the windows (1, 3] and (2, 4] gain 1.2 and 3 dB and the run goes on.
   */
  @Test
  void aBacktrackStartsThePlateauWindowAgain() {
    RgbImage y = image(4, 4, 3);
    double m = meanSquare(y);
    int steps = 5;
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withLearningRate(2.5 / (2 * m), 0.0)
        .withMaxIterations(steps).withStopRule(PlateauStopRule.lrPsnr(1.0, 2)).withKeepBest(true);
    FineTuneResult r = runScalar(true, o, y, 0.8f, new double[1]);
    assertEquals(java.util.List.of(1), r.backtracks());
    assertEquals(r.startRecord().lrPsnr(), r.curve().get(2).lrPsnr(), 1e-9, "ψ_2 is the start's weights put back");
    String curve = r.curve().stream().map(c -> c.iteration() + ":" + c.lrPsnr()).toList().toString();
    assertEquals("max_iterations", r.stopReason(), curve);
    assertEquals(steps, r.iterations());
  }

  /** When no fine-tuned weights beat the start on the LR image, keep-best returns the network's own output. */
  @Test
  void keepBestReturnsTheStartWhenNothingHelped() {
    RgbImage y = image(4, 4, 3);
    double m = meanSquare(y);
    // Every step makes |w − 1| larger, even after four halvings of the rate and the ramp after each (a step at
    // 1/20 of the rate or less): 1 − 2·lr·m·s stays below −1 for s down to 2^-5/10 when 2·lr·m = 5000.
    double lr = 5000 / (2 * m);
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withLearningRate(lr, 0.0)
        .withMaxIterations(40).withStopRule(StopRule.none()).withKeepBest(true);
    double[] w = new double[1];
    FineTuneResult r = runScalar(true, o, y, 0.8f, w);
    assertEquals(Backtracking.STOP_REASON, r.stopReason());
    assertEquals(Backtracking.MAX_BACKTRACKS + 1, r.backtracks().size());
    assertEquals(0.8, w[0], 1e-5);
    assertEquals(r.startRecord().loss(), r.finalRecord().loss(), 1e-9);
    assertEquals(0, r.finalRecord().iteration());
  }

  /** Issue 10, defect 4: keep-best returned ψ_{K−1} of a run that improved at every step, not ψ_K. */
  @Test
  void keepBestOfAnImprovingRunReturnsTheLastWeightsAndItsRecordDescribesThem() {
    RgbImage y = image(4, 4, 6);
    double m = meanSquare(y);
    int steps = 6;
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withLearningRate(0.3, 0.0)
        .withMaxIterations(steps).withStopRule(StopRule.none()).withKeepBest(true);
    double[] w = new double[1];
    FineTuneResult r = runScalar(true, o, y, 0.5f, w);
    double expected = expectedW(0.5, m, 0.3, 0.0, steps)[steps];
    assertEquals(expected, w[0], 1e-5, "the weights after the last step");
    assertEquals(steps, r.finalRecord().iteration());
    assertEquals((expected - 1) * (expected - 1) * m, r.finalRecord().loss(), 1e-6);
    IterationRecord last = r.curve().get(r.curve().size() - 1);
    assertEquals(steps, last.iteration(), "the curve ends with the returned weights");
    assertEquals(r.finalRecord().lrPsnr(), last.lrPsnr(), 1e-9);
  }

  @Test
  void zeroIterationsOnlyRunsTheNetwork() {
    RgbImage y = image(5, 7, 4);
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withMaxIterations(0);
    double[] w = new double[1];
    FineTuneResult r = runScalar(false, o, y, 0.7f, w);
    assertEquals(0, r.iterations());
    assertEquals(r.start(), r.result());
    assertEquals(0.7, w[0], 1e-6);
  }

  @Test
  void modelWithoutVariablesIsAClearError() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = TinyModels.input(tf);
      Operand<TFloat32> sr = TinyModels.nearestUp(tf, lr, 2);
      UserInputException e = assertThrows(UserInputException.class, () -> FineTuner.attach(g, s, lr.output(),
          sr.asOutput(), FineTuneOptions.defaults(TinyModels.averagePool(2))));
      assertTrue(e.getMessage().contains("no trainable variables"), e.getMessage());
    }
  }

  @Test
  void plateauRuleStopsAConvergedRun() {
    // sr = w · nearest_up(y²): A f = w·y² cannot equal y, so the LR-PSNR converges to a finite optimum.
    RgbImage y = image(8, 8, 5);
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withLearningRate(0.5, 0.9)
        .withMaxIterations(1000).withStopRule(PlateauStopRule.lrPsnr(0.04, 10));
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = TinyModels.input(tf);
      Operand<TFloat32> w = tf.withName("w").variable(tf.constant(0.5f));
      Operand<TFloat32> sr = tf.math.mul(TinyModels.nearestUp(tf, tf.math.square(lr), 2), w);
      s.initialize();
      try (FineTuner t = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o)) {
        FineTuneResult r = t.run(y, IterationListener.none());
        assertEquals("lr_psnr_plateau", r.stopReason());
        assertTrue(r.iterations() > 10 && r.iterations() < 1000, "iterations " + r.iterations());
        assertTrue(r.finalRecord().lrPsnr() > r.startRecord().lrPsnr());
      }
    }
  }

  @Test
  void exportedModelReloadsAndReproducesTheResult() throws Exception {
    Path model = TinyModels.save(tmp.resolve("tiny"), 2, (tf, lr) -> TinyModels.smallConv(tf, lr, 2, 7));
    RgbImage y = image(9, 11, 6);
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withMaxIterations(5)
        .withStopRule(StopRule.none());
    RgbImage result;
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve");
        FineTuner t = FineTuner.attach(b, o)) {
      assertEquals(2, t.variables().size());
      FineTuneResult r = t.run(y, IterationListener.none());
      assertTrue(r.finalRecord().loss() < r.startRecord().loss());
      result = r.result();
      t.export(tmp.resolve("tuned"), java.util.Map.of("name", "tiny-tuned", "scale", 2));
      // The caller's session still works after the tuner is closed: nothing of the caller's was closed.
    }
    try (SavedModelBundle b = SavedModelBundle.load(tmp.resolve("tuned").toString(), "serve");
        TFloat32 x = y.toTensor();
        TFloat32 out = (TFloat32) b.session().runner().feed("lr", x).fetch("sr").run().get(0)) {
      assertEquals(0.0, Arrays2.maxAbsDiff(result.data(), RgbImage.fromTensor(out).data()), 1e-6);
    }
  }

  @Test
  void resetToPretrainedRestoresTheStart() throws Exception {
    Path model = TinyModels.save(tmp.resolve("tiny2"), 2, (tf, lr) -> TinyModels.smallConv(tf, lr, 2, 8));
    RgbImage y = image(8, 8, 7);
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withMaxIterations(3)
        .withStopRule(StopRule.none());
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve"); FineTuner t = FineTuner.attach(b, o)) {
      FineTuneResult r = t.run(y, IterationListener.none());
      assertTrue(Arrays2.maxAbsDiff(r.start().data(), r.result().data()) > 1e-4);
      t.resetToPretrained();
      assertEquals(0.0, Arrays2.maxAbsDiff(r.start().data(), t.superResolve(y).data()), 0.0);
      // A fresh start: momentum is zeroed too, so the second run retraces the first.
      FineTuneResult again = t.run(y, IterationListener.none());
      assertEquals(0.0, Arrays2.maxAbsDiff(r.result().data(), again.result().data()), 0.0);
    }
  }

  @Test
  void imageTooSmallIsAClearError() {
    RgbImage y = image(2, 2, 8);
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2));
    UserInputException e = assertThrows(UserInputException.class, () -> runScalar(false, o, y, 0.5f, new double[1]));
    assertTrue(e.getMessage().contains("at least"), e.getMessage());
  }

  @SuppressWarnings("unused")
  private static Output<TFloat32> out(Operand<TFloat32> o) {
    return o.asOutput();
  }
}
