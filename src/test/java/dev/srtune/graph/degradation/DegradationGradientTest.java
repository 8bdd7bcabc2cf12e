package dev.srtune.graph.degradation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Finite-difference checks of the gradients TensorFlow derives for each operator (what fine-tuning backpropagates
 * through). Loss L(x) = Σ w·A(x) with random w; the differences are taken in double on the host from A's float32
 * outputs, at the corners, the edges and random interior pixels.
 */
class DegradationGradientTest {
  private static final int SIZE = 24;

  @ParameterizedTest(name = "{0} x{1}")
  @CsvSource({"bicubic, 2", "bicubic, 3", "bicubic, 4", "bicubic, 8", "bicubic-sym, 2", "bicubic-sym, 3",
      "bicubic-sym, 4", "bicubic-sym, 8", "lanczos3, 2", "lanczos3, 3", "lanczos3, 4", "lanczos3, 8",
      "gaussian:7:1.6+bicubic, 2", "'gaussian:9:2.5,1,30+bicubic-sym', 3", "disk:3+lanczos3, 4",
      "'random:seed=5,size=11,noise=0.3+bicubic', 2"})
  void gradientMatchesFiniteDifferences(String spec, int scale) {
    Degradation a = Degradations.parse(spec, scale);
    Random rnd = new Random(spec.hashCode() * 31L + scale);
    float[] x = new float[SIZE * SIZE * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat();
    }
    int out = SIZE / scale;
    float[] w = new float[out * out * 3];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rnd.nextGaussian();
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Operand<TFloat32> y = a.apply(tf, in);
      Operand<TFloat32> weights = tf.constant(Shape.of(1, out, out, 3), DataBuffers.of(w, true, false));
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(y, weights), tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {in.asOutput()});
      float[] analytic = new float[x.length];
      try (TFloat32 t = tensor(x); Result r = s.runner().feed(in, t).fetch(grad[0]).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(analytic);
      }
      int[][] pixels = {{0, 0}, {0, SIZE - 1}, {SIZE - 1, 0}, {SIZE - 1, SIZE - 1}, {0, SIZE / 2}, {SIZE / 2, 1},
          {rnd.nextInt(SIZE), rnd.nextInt(SIZE)}, {rnd.nextInt(SIZE), rnd.nextInt(SIZE)}};
      double eps = 0.05;
      double worst = 0;
      for (int[] p : pixels) {
        int i = (p[0] * SIZE + p[1]) * 3 + rnd.nextInt(3);
        float keep = x[i];
        x[i] = keep + (float) eps;
        double plus = weightedSum(s, in, y, x, w);
        x[i] = keep - (float) eps;
        double minus = weightedSum(s, in, y, x, w);
        x[i] = keep;
        double numeric = (plus - minus) / (2 * eps);
        double err = Math.abs(numeric - analytic[i]);
        worst = Math.max(worst, err);
        assertTrue(err <= 1e-4 + 1e-3 * Math.abs(numeric),
            String.format("%s x%d at %d,%d: analytic %.6g, finite difference %.6g", spec, scale, p[0], p[1],
                analytic[i], numeric));
      }
      System.out.printf("gradient %s x%d: max |analytic - finite difference| %.2g over %d pixels%n", spec, scale, worst,
          pixels.length);
    }
  }

  private static double weightedSum(Session s, Placeholder<TFloat32> in, Operand<TFloat32> y, float[] x, float[] w) {
    float[] out = new float[w.length];
    try (TFloat32 t = tensor(x); Result r = s.runner().feed(in, t).fetch(y).run()) {
      ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
    }
    double sum = 0;
    for (int i = 0; i < out.length; i++) {
      sum += (double) out[i] * w[i];
    }
    return sum;
  }

  private static TFloat32 tensor(float[] x) {
    return TFloat32.tensorOf(Shape.of(1, SIZE, SIZE, 3), DataBuffers.of(x, true, false));
  }
}
