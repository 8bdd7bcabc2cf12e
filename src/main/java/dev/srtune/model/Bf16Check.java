package dev.srtune.model;

import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Whether bfloat16 mixed precision computes an SR network's first layer correctly on this machine. Measured on an
 * AMD EPYC with AVX512_BF16 (TF 2.18): oneDNN's bfloat16 Conv2D is wrong when the input has 3, 5, 7 or 9 channels
 * (errors near 1 on outputs near 2), and every SR network's first layer has 3. So bf16 is checked once per JVM on a
 * 3-channel convolution before a model is loaded with it, and refused where it is wrong.
 */
public final class Bf16Check {
  /** bf16 keeps 8 significant bits: a 3x3x3 convolution of [0,1] data with weights in [-1,1] moves by far less. */
  static final double TOLERANCE = 2e-2;
  private static Double maxError;

  private Bf16Check() {}

  /** Max abs difference between a 3→8-channel 3x3 convolution run in bf16 mixed precision and in fp32. */
  public static synchronized double maxError() {
    if (maxError == null) {
      maxError = measure();
    }
    return maxError;
  }

  public static boolean passes() {
    return maxError() <= TOLERANCE;
  }

  private static double measure() {
    Random rnd = new Random(3);
    float[] x = new float[16 * 16 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat();
    }
    float[] w = new float[3 * 3 * 3 * 8];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextFloat() * 2 - 1;
    }
    float[] a = run(x, w, Precision.FP32);
    float[] b = run(x, w, Precision.BF16);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static float[] run(float[] x, float[] w, Precision p) {
    try (Graph g = new Graph(); Session s = new Session(g, SessionConfig.get(p))) {
      Ops tf = Ops.create(g);
      // A variable, as a model's weights are, so the rewrite sees the same pattern as in a network.
      Operand<TFloat32> weights = tf.variable(tf.constant(Shape.of(3, 3, 3, 8), DataBuffers.of(w, true, false)));
      var in = tf.placeholder(TFloat32.class);
      Operand<TFloat32> out = tf.nn.relu(tf.nn.conv2d(in, weights, List.of(1L, 1L, 1L, 1L), "SAME"));
      s.initialize();
      try (TFloat32 t = TFloat32.tensorOf(Shape.of(1, 16, 16, 3), DataBuffers.of(x, true, false));
          TFloat32 r = (TFloat32) s.runner().feed(in, t).fetch(out).run().get(0)) {
        float[] o = new float[(int) r.shape().size()];
        r.asRawTensor().data().asFloats().read(o);
        return o;
      }
    }
  }
}
