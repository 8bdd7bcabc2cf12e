package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.graph.train.Adam;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Crop sampling, Adam and learning-rate schedules in the loop, on the scalar network of {@link FineTunerTest}
 * (sr = w · nearest_up(y), A = average pooling, so A f(y) = w·y and the loss on any window interior is (w−1)²·m with
 * m the interior's mean square): every step is recomputed here independently of TensorFlow.
 */
class SamplingAndOptimizersTest {

  /** Mean square of the windows' interiors (margin pixels off each border), read from the batch itself. */
  static double interiorMeanSquare(TFloat32 batch, int margin) {
    int b = (int) batch.shape().get(0);
    int h = (int) batch.shape().get(1);
    int w = (int) batch.shape().get(2);
    double s = 0;
    long n = 0;
    for (int i = 0; i < b; i++) {
      for (int y = margin; y < h - margin; y++) {
        for (int x = margin; x < w - margin; x++) {
          for (int c = 0; c < 3; c++) {
            double v = batch.getFloat(i, y, x, c);
            s += v * v;
            n++;
          }
        }
      }
    }
    return s / n;
  }

  /** Half-cosine from base to floor·base over the period, written out here on its own. */
  static double cosine(double base, int period, double floor, int t) {
    return t >= period ? base * floor : base * (floor + (1 - floor) * (1 + Math.cos(Math.PI * t / period)) / 2);
  }

  @ParameterizedTest(name = "resource variables: {0}")
  @ValueSource(booleans = {false, true})
  void adamOnCropsWithCosineScheduleMatchesAnIndependentAdam(boolean resource) {
    RgbImage y = FineTunerTest.image(20, 17, 5);
    RandomCrops crops = new RandomCrops(8, 3, 2, 7);
    int steps = 12;
    double base = 0.05;
    FineTuneOptions o = FineTuneOptions.paper(TinyModels.averagePool(2))
        .withOptimizer(Adam.defaults(), LearningRateSchedule.parse("cosine:10:0.1", base))
        .withSampler(crops, 4).withMaxIterations(steps).withStopRule(StopRule.none());
    // PyTorch's Adam on the scalar problem, with the windows' mean squares as the data.
    double w = 0.5;
    double m = 0;
    double v = 0;
    List<Double> expected = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      expected.add(w);
      double ms;
      try (TFloat32 batch = crops.batch(y, t)) {
        ms = interiorMeanSquare(batch, 2);
      }
      double g = 2 * (w - 1) * ms;
      int k = t + 1;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      double mHat = m / (1 - Math.pow(0.9, k));
      double vHat = v / (1 - Math.pow(0.999, k));
      w -= cosine(base, 10, 0.1, t) * mHat / (Math.sqrt(vHat) + 1e-8);
    }
    expected.add(w); // after the last step: what the run returns
    double wholeMs = FineTunerTest.meanSquare(y);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = TinyModels.input(tf);
      Operand<TFloat32> sr = resource ? TinyModels.scalarResource(tf, lr, 2, 0.5f) : TinyModels.scalarRef(tf, lr, 2, 0.5f);
      s.initialize();
      try (FineTuner tuner = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o)) {
        FineTuneResult r = tuner.run(y, IterationListener.none());
        assertEquals(steps, r.iterations());
        double wEnd = tuner.superResolve(y).get(0, 0, 0) / y.get(0, 0, 0);
        assertEquals(w, wEnd, 1e-5, "weight after " + steps + " Adam steps on crops");
        // The curve holds whole-image measurements every 4 iterations, of the weights before that iteration's step,
        // and ends with the weights returned (after the last step).
        assertEquals(List.of(0, 4, 8, steps), r.curve().stream().map(IterationRecord::iteration).toList());
        for (IterationRecord rec : r.curve()) {
          double wt = expected.get(rec.iteration());
          double loss = Math.pow(wt - 1, 2) * wholeMs;
          assertEquals(loss, rec.loss(), 1e-6 + 1e-4 * loss, "whole-image loss at " + rec.iteration());
        }
        double end = Math.pow(w - 1, 2) * wholeMs;
        assertEquals(end, r.finalRecord().loss(), 1e-4 * end);
      }
    }
  }

  @Test
  void cropsAreSeededWindowsOfTheImage() {
    RgbImage y = FineTunerTest.image(30, 25, 9);
    RandomCrops c = RandomCrops.parse("12x3,margin=2,seed=4");
    assertEquals(new RandomCrops(12, 3, 2, 4), c);
    assertEquals(c, Sampler.parse(c.spec()));
    try (TFloat32 a = c.batch(y, 5); TFloat32 b = c.batch(y, 5); TFloat32 other = c.batch(y, 6)) {
      assertEquals(org.tensorflow.ndarray.Shape.of(3, 12, 12, 3), a.shape());
      boolean differs = false;
      for (int i = 0; i < 3; i++) {
        // Each window is some 12x12 window of y: find it.
        assertTrue(isWindowOf(a, i, y), "window " + i + " is a crop of the image");
        differs |= a.getFloat(i, 0, 0, 0) != other.getFloat(i, 0, 0, 0);
        for (int yy = 0; yy < 12; yy++) {
          assertEquals(a.getFloat(i, yy, 3, 1), b.getFloat(i, yy, 3, 1), "same iteration, same windows");
        }
      }
      assertTrue(differs, "another iteration draws other windows");
    }
    // A window larger than the image is clipped to it.
    try (TFloat32 whole = new RandomCrops(64, 2, 2, 1).batch(y, 0)) {
      assertEquals(org.tensorflow.ndarray.Shape.of(2, 30, 25, 3), whole.shape());
    }
  }

  private static boolean isWindowOf(TFloat32 batch, int i, RgbImage y) {
    int h = (int) batch.shape().get(1);
    int w = (int) batch.shape().get(2);
    for (int top = 0; top + h <= y.height(); top++) {
      for (int left = 0; left + w <= y.width(); left++) {
        boolean all = true;
        for (int r = 0; r < h && all; r++) {
          for (int x = 0; x < w && all; x++) {
            for (int ch = 0; ch < 3 && all; ch++) {
              all = batch.getFloat(i, r, x, ch) == y.get(top + r, left + x, ch);
            }
          }
        }
        if (all) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void badSamplingSpecsSayWhatToWrite() {
    var e = assertThrows(IllegalArgumentException.class, () -> Sampler.parse("crops:abc"));
    assertTrue(e.getMessage().contains("crops:SIZE[xBATCH]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Sampler.parse("tiles"));
    assertThrows(IllegalArgumentException.class, () -> Sampler.parse("crops:8,margin=3"));
    assertEquals(Sampler.FullImage.INSTANCE, Sampler.parse("full"));
  }

  @Test
  void schedulesGiveTheirRates() {
    assertEquals(0.01, LearningRateSchedule.parse("constant", 0.01).at(999), 0);
    LearningRateSchedule step = LearningRateSchedule.parse("step:100:0.5", 0.2);
    assertEquals(0.2, step.at(99), 1e-15);
    assertEquals(0.1, step.at(100), 1e-15);
    assertEquals(0.05, step.at(250), 1e-15);
    LearningRateSchedule cos = LearningRateSchedule.parse("cosine:200:0.1", 1.0);
    assertEquals(1.0, cos.at(0), 1e-12);
    assertEquals(0.55, cos.at(100), 1e-12);
    assertEquals(0.1, cos.at(200), 1e-12);
    assertEquals(0.1, cos.at(5000), 1e-12);
    LearningRateSchedule warm = LearningRateSchedule.parse("warmup:4+constant", 0.4);
    assertEquals(0.1, warm.at(0), 1e-12);
    assertEquals(0.4, warm.at(3), 1e-12);
    assertEquals(0.4, warm.at(10), 1e-12);
    assertEquals("warmup:4+cosine:200:0.1", LearningRateSchedule.parse("warmup:4+cosine:200:0.1", 1).spec());
    var e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("linear", 0.1));
    assertTrue(e.getMessage().contains("cosine:PERIOD"), e.getMessage());
  }

  @Test
  void plateauRuleReadsSparseMeasurementsByIteration() {
    PlateauStopRule rule = PlateauStopRule.lrPsnr(0.04, 20);
    List<IterationRecord> h = new ArrayList<>();
    double[] psnr = {30, 31, 31.5, 31.56, 31.57, 31.58};
    for (int i = 0; i < psnr.length; i++) {
      h.add(new IterationRecord(i * 10, Math.pow(10, -psnr[i] / 10), psnr[i], java.util.Map.of(), i));
      // At 40 the window (20, 40] holds 31.56, 31.57 against 31.5 before it: +0.07 dB, go on. At 50 the window
      // (30, 50] holds 31.57, 31.58 against 31.56 before it: +0.02 dB, stop.
      boolean stops = rule.check(h).isPresent();
      assertEquals(i == 5, stops, "at iteration " + i * 10);
    }
  }
}
