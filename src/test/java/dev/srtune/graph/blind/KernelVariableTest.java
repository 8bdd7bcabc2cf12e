package dev.srtune.graph.blind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.srtune.graph.degradation.Blur;
import dev.srtune.graph.degradation.BlurKernel;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The kernel parametrisations start where they should (checked against {@link BlurKernel}'s own formulas), the
 * variable-kernel blur is the fixed-kernel {@link Blur} (a separate implementation: separable terms), and the
 * priors have the values worked out by hand.
 */
class KernelVariableTest {

  private static float[] run(Graph g, Operand<TFloat32> x) {
    try (Session s = new Session(g)) {
      s.initialize();
      try (Result r = s.runner().fetch(x).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] v = new float[(int) t.shape().size()];
        t.asRawTensor().data().asFloats().read(v);
        return v;
      }
    }
  }

  @Test
  void softmaxStartsAtTheGivenKernel() {
    BlurKernel k = BlurKernel.anisotropicGaussian(9, 2.0, 0.8, 30);
    try (Graph g = new Graph()) {
      float[] v = run(g, KernelVariable.create(Ops.create(g), "k", k).kernel());
      double sum = 0;
      for (int i = 0; i < v.length; i++) {
        // The floor (1e-6 of the largest tap) moves each tap by at most that much, relatively.
        assertEquals(k.values()[i], v[i], 1e-6 + 1e-5 * k.values()[i]);
        sum += v[i];
      }
      assertEquals(1, sum, 1e-5);
    }
  }

  @Test
  void gaussianStartsAtTheIsotropicGaussian() {
    BlurKernel k = BlurKernel.gaussian(13, 1.3);
    try (Graph g = new Graph()) {
      float[] v = run(g, KernelVariable.gaussian(Ops.create(g), "k", 13, 1.3).kernel());
      for (int i = 0; i < v.length; i++) {
        assertEquals(k.values()[i], v[i], 1e-6);
      }
    }
  }

  @Test
  void variableBlurEqualsTheFixedBlur() {
    BlurKernel k = BlurKernel.anisotropicGaussian(7, 1.5, 0.7, 60);
    Random r = new Random(3);
    float[] img = new float[20 * 24 * 3];
    for (int i = 0; i < img.length; i++) {
      img[i] = r.nextFloat();
    }
    float[] kv = new float[49];
    for (int i = 0; i < 49; i++) {
      kv[i] = (float) k.values()[i];
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.constant(Shape.of(1, 20, 24, 3), DataBuffers.of(img, true, false));
      float[] ours = run(g, KernelBlur.apply(tf, x, tf.constant(Shape.of(7, 7), DataBuffers.of(kv, true, false)), 7,
          3));
      try (Graph g2 = new Graph()) {
        Ops tf2 = Ops.create(g2);
        float[] fixed = run(g2, new Blur(k).apply(tf2,
            tf2.constant(Shape.of(1, 20, 24, 3), DataBuffers.of(img, true, false))));
        assertEquals(fixed.length, ours.length);
        for (int i = 0; i < ours.length; i++) {
          assertEquals(fixed[i], ours[i], 2e-6);
        }
      }
    }
  }

  @Test
  void priorsHaveTheirHandValues() {
    // A delta 1 row down and 2 columns right of the centre of a 5x5 kernel: centring = 1² + 2² = 5;
    // border = (r/c)^4 with r² = 5, c = 2: (5/4)² = 1.5625; sparsity = √(1 + 1e-8) + 24·√1e-8 ≈ 1.0002400.
    float[] d = new float[25];
    d[3 * 5 + 4] = 1;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> k = tf.constant(Shape.of(5, 5), DataBuffers.of(d, true, false));
      assertEquals(5, run(g, KernelPriors.centring(tf, k, 5))[0], 1e-6);
      assertEquals(1.5625, run(g, KernelPriors.border(tf, k, 5))[0], 1e-6);
      assertEquals(1 + 24e-4, run(g, KernelPriors.sparsity(tf, k))[0], 1e-5);
    }
  }
}
