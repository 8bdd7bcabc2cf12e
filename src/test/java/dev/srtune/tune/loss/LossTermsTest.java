package dev.srtune.tune.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.UserInputException;
import dev.srtune.graph.train.DataFidelityLoss;
import dev.srtune.graph.train.TotalVariation;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.FineTuner;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.RandomCrops;
import dev.srtune.tune.Sampler;
import dev.srtune.tune.StopRule;
import dev.srtune.tune.Window;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The loss terms with real TensorFlow. The scalar tiny model sr = w · nearest_up(y) with A = 2×2 average pooling has
 * A f(y) = w·y, so a weighted data fidelity is (w−1)² · M with M = Σ w_p y_pc² / (3 Σ w_p) over the loss region and
 * its gradient 2(w−1)·M: one SGD step without momentum at rate α gives w1 = w0 − 2α(w0−1)M, computed here in Java.
 */
class LossTermsTest {

  static RgbImage image(int h, int w, long seed) {
    Random r = new Random(seed);
    float[] d = new float[h * w * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    return new RgbImage(h, w, d);
  }

  static TFloat32 tensor(float[] data, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = r.nextFloat();
    }
    return d;
  }

  @Test
  void allOnesWeightsGiveThePlainLossBitForBit() {
    int b = 2;
    int h = 9;
    int w = 7;
    float[] a = random(b * h * w * 3, 1);
    float[] y = random(b * h * w * 3, 2);
    float[] ones = new float[b * h * w];
    java.util.Arrays.fill(ones, 1f);
    for (int margin : new int[] {0, 2}) {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        var pa = tf.placeholder(TFloat32.class);
        var py = tf.placeholder(TFloat32.class);
        var pw = tf.placeholder(TFloat32.class);
        Operand<TInt32> m = tf.constant(margin);
        var plain = DataFidelityLoss.build(tf, pa, py, m);
        var weighted = DataFidelityLoss.weighted(tf, pa, py, m, pw);
        try (TFloat32 ta = tensor(a, b, h, w, 3); TFloat32 ty = tensor(y, b, h, w, 3);
            TFloat32 tw = tensor(ones, b, h, w, 1);
            Result r = s.runner().feed(pa, ta).feed(py, ty).feed(pw, tw).fetch(plain).fetch(weighted).run()) {
          float p = ((TFloat32) r.get(0)).getFloat();
          assertTrue(p > 0.05, "a non-trivial loss: " + p);
          assertEquals(p, ((TFloat32) r.get(1)).getFloat(), 0f, "margin " + margin);
        }
      }
    }
  }

  /** The luma term is the mean squared BT.601 luma difference inside the margin, computed here by hand. */
  @Test
  void lumaTermIsTheMeanSquaredLumaDifference() {
    int b = 2;
    int h = 9;
    int w = 7;
    int margin = 2;
    float[] a = random(b * h * w * 3, 3);
    float[] y = random(b * h * w * 3, 4);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < b; i++) {
      for (int r = margin; r < h - margin; r++) {
        for (int c = margin; c < w - margin; c++) {
          int at = ((i * h + r) * w + c) * 3;
          double d = 0.299 * (a[at] - y[at]) + 0.587 * (a[at + 1] - y[at + 1]) + 0.114 * (a[at + 2] - y[at + 2]);
          sum += d * d;
          n++;
        }
      }
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var pa = tf.placeholder(TFloat32.class);
      var py = tf.placeholder(TFloat32.class);
      var luma = DataFidelityLoss.luma(tf, pa, py, tf.constant(margin));
      try (TFloat32 ta = tensor(a, b, h, w, 3); TFloat32 ty = tensor(y, b, h, w, 3);
          Result r = s.runner().feed(pa, ta).feed(py, ty).fetch(luma).run()) {
        assertEquals(sum / n, ((TFloat32) r.get(0)).getFloat(), 1e-6 * sum / n);
      }
    }
  }

  /** Runs {@code steps} steps of the scalar model from w0 and returns the w it ends with. */
  static double scalarRun(FineTuneOptions o, RgbImage y, float w0) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = TinyModels.input(tf);
      Operand<TFloat32> sr = TinyModels.scalarRef(tf, lr, 2, w0);
      s.initialize();
      try (FineTuner t = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o)) {
        t.run(y, IterationListener.none());
        return t.superResolve(y).get(0, 0, 0) / y.get(0, 0, 0);
      }
    }
  }

  static FineTuneOptions sgd(double rate, int steps) {
    return FineTuneOptions.defaults(TinyModels.averagePool(2)).withLearningRate(rate, 0.0).withMaxIterations(steps)
        .withStopRule(StopRule.none());
  }

  @Test
  void allOnesMaskRunsExactlyAsThePlainLoss() {
    RgbImage y = image(10, 8, 3);
    FineTuneOptions plain = sgd(0.3, 4);
    FineTuneOptions masked = plain.withLossTerms(List.of(new WeightedDataFidelity(LrWeights.ones(10, 8), "ones")));
    assertEquals(scalarRun(plain, y, 0.4f), scalarRun(masked, y, 0.4f), 0.0);
  }

  /** A mask that zeroes the top half: the step follows the bottom half alone, whatever the top half holds. */
  @Test
  void halfMaskTakesTheGradientFromTheOtherHalfOnly() {
    int h = 8;
    int w = 6;
    RgbImage y = image(h, w, 4);
    float[] mask = new float[h * w];
    for (int i = h / 2 * w; i < h * w; i++) {
      mask[i] = 1f;
    }
    double sum = 0;
    for (int i = h / 2 * w * 3; i < h * w * 3; i++) {
      sum += (double) y.data()[i] * y.data()[i];
    }
    double mKept = sum / (3.0 * (h / 2) * w);
    double alpha = 0.2;
    double w0 = 0.5;
    FineTuneOptions o = sgd(alpha, 1).withLossTerms(List.of(new WeightedDataFidelity(
        new LrWeights(h, w, mask, "bottom half"), "bottom-half")));
    double w1 = scalarRun(o, y, (float) w0);
    assertEquals(w0 - 2 * alpha * (w0 - 1) * mKept, w1, 1e-6);
    // The plain loss would have moved w differently: the halves differ.
    assertNotEquals(w1, scalarRun(sgd(alpha, 1), y, (float) w0), 1e-4);
    // Changing the masked half (top) changes nothing.
    RgbImage other = new RgbImage(h, w, y.data().clone());
    for (int i = 0; i < h / 2 * w * 3; i++) {
      other.data()[i] = 0.05f;
    }
    assertEquals(w1, scalarRun(o, other, (float) w0), 0.0);
  }

  /** With random crops each crop is weighted by its own window of the mask (closed form over the windows). */
  @Test
  void maskWindowsFollowCropWindows() {
    int h = 32;
    int w = 28;
    RgbImage y = image(h, w, 5);
    float[] weights = random(h * w, 6);
    RandomCrops crops = (RandomCrops) Sampler.parse("crops:12x2,margin=2,seed=7");
    assertEquals(crops, crops.forImage(h, w), "crops are used on this image, not the whole image");

    // The mask batch holds, pixel for pixel, the weights where the image batch's pixels came from.
    float[] where = new float[h * w];
    for (int i = 0; i < where.length; i++) {
      where[i] = i;
    }
    float[] whereRgb = new float[h * w * 3];
    for (int i = 0; i < whereRgb.length; i++) {
      whereRgb[i] = i / 3;
    }
    for (int t = 0; t < 5; t++) {
      List<Window> ws = crops.windows(h, w, t);
      try (TFloat32 img = crops.batch(new RgbImage(h, w, whereRgb), t);
          TFloat32 msk = Window.stack(where, h, w, 1, ws)) {
        assertEquals(Shape.of(2, 12, 12, 1), msk.shape());
        for (int b = 0; b < 2; b++) {
          for (int r = 0; r < 12; r++) {
            for (int c = 0; c < 12; c++) {
              assertEquals(img.getFloat(b, r, c, 1), msk.getFloat(b, r, c, 0));
              assertEquals((ws.get(b).top() + r) * w + ws.get(b).left() + c, msk.getFloat(b, r, c, 0));
            }
          }
        }
      }
    }

    // One SGD step on iteration 0's crops: M = Σ w_p y² / (3 Σ w_p) over each window inside the margin.
    double num = 0;
    double den = 0;
    for (Window win : crops.windows(h, w, 0)) {
      for (int r = 2; r < 10; r++) {
        for (int c = 2; c < 10; c++) {
          int p = (win.top() + r) * w + win.left() + c;
          den += weights[p];
          for (int ch = 0; ch < 3; ch++) {
            num += weights[p] * (double) y.data()[3 * p + ch] * y.data()[3 * p + ch];
          }
        }
      }
    }
    double m = num / (3 * den);
    double alpha = 0.4;
    double w0 = 0.3;
    FineTuneOptions o = sgd(alpha, 1).withSampler(crops, 1).withLossTerms(List.of(
        new WeightedDataFidelity(new LrWeights(h, w, weights, "random"), "random")));
    assertEquals(w0 - 2 * alpha * (w0 - 1) * m, scalarRun(o, y, (float) w0), 1e-6);
  }

  @Test
  void totalVariationMatchesAJavaComputation() {
    int b = 2;
    int h = 7;
    int w = 9;
    float[] x = random(b * h * w * 3, 8);
    for (int margin : new int[] {0, 1}) {
      double dh = 0;
      double dw = 0;
      int nh = 0;
      int nw = 0;
      for (int n = 0; n < b; n++) {
        for (int i = margin; i < h - margin; i++) {
          for (int j = margin; j < w - margin; j++) {
            for (int c = 0; c < 3; c++) {
              double v = x[((n * h + i) * w + j) * 3 + c];
              if (i + 1 < h - margin) {
                dh += Math.abs(x[((n * h + i + 1) * w + j) * 3 + c] - v);
                nh++;
              }
              if (j + 1 < w - margin) {
                dw += Math.abs(x[((n * h + i) * w + j + 1) * 3 + c] - v);
                nw++;
              }
            }
          }
        }
      }
      double expected = dh / nh + dw / nw;
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        var px = tf.placeholder(TFloat32.class);
        var tv = TotalVariation.anisotropic(tf, px, tf.constant(margin));
        try (TFloat32 tx = tensor(x, b, h, w, 3); Result r = s.runner().feed(px, tx).fetch(tv).run()) {
          assertEquals(expected, ((TFloat32) r.get(0)).getFloat(), 1e-5 * expected, "margin " + margin);
        }
      }
    }
  }

  /** A conv net (a non-trivial TV gradient): TV weight 0 runs exactly as the plain loss, weight 1 does not. */
  @Test
  void tvWeightZeroIsThePlainRun() {
    RgbImage y = image(10, 10, 9);
    FineTuneOptions plain = sgd(0.05, 3);
    RgbImage a = convRun(plain, y);
    RgbImage zero = convRun(plain.withLossTerms(List.of(DataFidelity.PLAIN, new TotalVariationTerm(0))), y);
    RgbImage one = convRun(plain.withLossTerms(List.of(DataFidelity.PLAIN, new TotalVariationTerm(1))), y);
    assertEquals(a, zero);
    assertNotEquals(a, one);
    assertTrue(tv(one) < tv(a), "TV pulls the output's total variation down: " + tv(one) + " vs " + tv(a));
  }

  static double tv(RgbImage x) {
    double s = 0;
    for (int i = 0; i + 1 < x.height(); i++) {
      for (int j = 0; j + 1 < x.width(); j++) {
        for (int c = 0; c < 3; c++) {
          s += Math.abs(x.get(i + 1, j, c) - x.get(i, j, c)) + Math.abs(x.get(i, j + 1, c) - x.get(i, j, c));
        }
      }
    }
    return s;
  }

  static RgbImage convRun(FineTuneOptions o, RgbImage y) {
    BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> net = (tf, lr) -> TinyModels.smallConv(tf, lr, 2, 3);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = TinyModels.input(tf);
      Operand<TFloat32> sr = net.apply(tf, lr);
      s.initialize();
      try (FineTuner t = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o)) {
        FineTuneResult r = t.run(y, IterationListener.none());
        return r.result();
      }
    }
  }

  @Test
  void varianceWeightsPoolEachBlockAndCutAtTheQuantile() {
    // 4x4 HR map at scale 2 -> 2x2 LR: block means 1, 2, 3, 6.
    float[] v = {
        1, 1, 2, 2,
        1, 1, 2, 2,
        3, 3, 5, 7,
        3, 3, 7, 5};
    LrWeights soft = LrWeights.fromHrVariance(v, 4, 4, 2, null);
    assertEquals(List.of(1 / 3f, 2 / 3f, 1f, 2f), List.of(soft.values()[0], soft.values()[1], soft.values()[2],
        soft.values()[3]));
    LrWeights hard = LrWeights.fromHrVariance(v, 4, 4, 2, 0.5);
    assertEquals(List.of(0f, 1f, 1f, 1f), List.of(hard.values()[0], hard.values()[1], hard.values()[2],
        hard.values()[3]));
    assertEquals(0.75, hard.nonZeroFraction());
    assertThrows(UserInputException.class, () -> LrWeights.fromHrVariance(new float[16], 4, 4, 2, null));
    assertThrows(IllegalArgumentException.class, () -> VarianceMask.parse("variance:1.5", null));
    assertEquals(0.9, VarianceMask.parse("variance:0.9", null).quantile());
  }

  @Test
  void aMaskOfAnotherSizeIsRefusedInOneSentence() {
    FineTuneOptions o = sgd(0.1, 1).withLossTerms(List.of(new WeightedDataFidelity(LrWeights.ones(5, 5), "ones")));
    UserInputException e = assertThrows(UserInputException.class, () -> scalarRun(o, image(6, 6, 1), 0.5f));
    assertTrue(e.getMessage().contains("5x5"), e.getMessage());
  }
}
