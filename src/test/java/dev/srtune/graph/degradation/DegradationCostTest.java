package dev.srtune.graph.degradation;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * What A costs inside one fine-tuning iteration: forward and backward through A alone on a 256x256 HR (the x2 SR of
 * a 128x128 LR), median of 20 runs. Compare with {@code scripts/srtune bench --model saved-models/enhancenet-x2
 * --lr-size 128}. Run with {@code mvn -q -B test -Dtest=DegradationCostTest -Dsurefire.excludedGroups=}.
 */
@Tag("slow")
class DegradationCostTest {
  private static final int HR = 256;
  private static final int RUNS = 20;

  @Test
  void forwardAndBackwardOfA() {
    String[] specs = {"bicubic", "bicubic-sym", "lanczos3", "gaussian:15:1.6+bicubic",
        "gaussian:15:2.5,1,30+bicubic", "disk:5+bicubic", "random:seed=7+lanczos3"};
    for (int s : new int[] {2, 4}) {
      for (String spec : specs) {
        double[] t = time(Degradations.parse(spec, s), s);
        System.out.printf("cost of A %-30s x%d on %dx%d HR: forward %.1f ms, forward+backward %.1f ms (median of %d)%n",
            spec, s, HR, HR, t[0], t[1], RUNS);
      }
    }
  }

  private static double[] time(Degradation a, int s) {
    Random rnd = new Random(1);
    float[] x = new float[HR * HR * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat();
    }
    int lr = HR / s;
    float[] w = new float[lr * lr * 3];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextFloat();
    }
    try (Graph g = new Graph(); Session session = new Session(g);
        TFloat32 in = TFloat32.tensorOf(Shape.of(1, HR, HR, 3), DataBuffers.of(x, true, false))) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> sr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Operand<TFloat32> y = a.apply(tf, sr);
      Operand<TFloat32> target = tf.constant(Shape.of(1, lr, lr, 3), DataBuffers.of(w, true, false));
      // The data-fidelity loss of the paper, so the backward pass is the one fine-tuning runs.
      Operand<TFloat32> loss = tf.math.mean(tf.math.squaredDifference(y, target), tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {sr.asOutput()});
      double[] forward = new double[RUNS];
      double[] both = new double[RUNS];
      for (int i = -3; i < RUNS; i++) {
        long t0 = System.nanoTime();
        session.runner().feed(sr, in).fetch(y).run().close();
        long t1 = System.nanoTime();
        session.runner().feed(sr, in).fetch(grad[0]).run().close();
        long t2 = System.nanoTime();
        if (i >= 0) {
          forward[i] = (t1 - t0) / 1e6;
          both[i] = (t2 - t1) / 1e6;
        }
      }
      return new double[] {median(forward), median(both)};
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return (c[(c.length - 1) / 2] + c[c.length / 2]) / 2;
  }
}
