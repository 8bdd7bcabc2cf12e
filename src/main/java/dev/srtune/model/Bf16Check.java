package dev.srtune.model;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Whether oneDNN's bfloat16 mixed precision computes a network's convolutions right on the CPU at hand, decided
 * from what it measures here rather than from the CPU's name. Each input-channel count a network's convolutions
 * have (its RGB first layer, its 64-channel body...) is checked once per JVM on a 3x3 convolution + ReLU of random
 * [0,1] data, run in bf16 and compared with the exact result computed on the host in double.
 *
 * <p>The threshold is bf16's own rounding, per output: with unit roundoff u = 2^-8 (8 significant bits), rounding the
 * inputs and the weights moves each product by at most (2u + u²)·|x·w|, fp32 accumulation adds far less, and the
 * bf16 output is rounded once more (u·|y|); ReLU does not enlarge an error. So a right kernel stays within
 * {@code (2u + u²)(1 + u)·Σ|x·w| + u·|y|} at every output, whatever the CPU, and {@link Verdict#ratio()} (the worst
 * error over that bound) is at most 1. Seen on AMD EPYC (avx512_bf16, TF 2.18, earlier sessions): errors near 1 on
 * outputs near 2 for 3, 5, 7 or 9 input channels — far outside the bound; seen on AMD EPYC and Intel Xeon with
 * amx_bf16 since: within it.
 */
public final class Bf16Check {
  /** bf16's unit roundoff: 8 significant bits. */
  static final double UNIT_ROUNDOFF = 0x1p-8;
  /** fp32 accumulation of up to a few thousand products, relative to Σ|x·w|: generous. */
  private static final double ACCUMULATION = 1e-6;
  /** Input-channel counts checked where a network's own are not known: an RGB first layer and a 64-channel body. */
  public static final List<Integer> DEFAULT_CHANNELS = List.of(3, 64);
  private static final int SIDE = 12;
  private static final int OUT_CHANNELS = 8;
  private static final Map<Integer, Verdict> VERDICTS = new ConcurrentHashMap<>();

  private Bf16Check() {}

  /**
   * What one channel count measured: the largest error, and the largest error over its rounding bound.
   *
   * @param channels the convolution's input channels
   */
  public record Verdict(int channels, double maxError, double ratio) {
    public boolean right() {
      return ratio <= 1;
    }
  }

  /** The verdict for convolutions with {@code channels} input channels, measured once per JVM. */
  public static Verdict check(int channels) {
    return VERDICTS.computeIfAbsent(channels, Bf16Check::measure);
  }

  /** The first wrong verdict among {@code channels} (in increasing order), or null where bf16 is right for all. */
  public static Verdict firstWrong(Collection<Integer> channels) {
    for (int c : new TreeSet<>(channels)) {
      Verdict v = check(c);
      if (!v.right()) {
        return v;
      }
    }
    return null;
  }

  /** The input-channel counts of the Conv2D ops in {@code g} whose filters have a static shape. */
  public static List<Integer> convInputChannels(Graph g) {
    TreeSet<Integer> found = new TreeSet<>();
    for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals("Conv2D") && op.numInputs() > 1) {
        Shape f = op.input(1).shape();
        if (f.numDimensions() == 4 && f.get(2) > 0) {
          found.add((int) f.get(2));
        }
      }
    }
    return List.copyOf(found);
  }

  private static Verdict measure(int channels) {
    Random rnd = new Random(3 + channels);
    float[] x = new float[SIDE * SIDE * channels];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat();
    }
    float[] w = new float[3 * 3 * channels * OUT_CHANNELS];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextFloat() * 2 - 1;
    }
    float[] b = run(x, w, channels);
    double u = UNIT_ROUNDOFF;
    double maxError = 0;
    double ratio = 0;
    for (int r = 0; r < SIDE; r++) {
      for (int c = 0; c < SIDE; c++) {
        for (int o = 0; o < OUT_CHANNELS; o++) {
          double y = 0;
          double abs = 0;
          for (int dr = -1; dr <= 1; dr++) {
            for (int dc = -1; dc <= 1; dc++) {
              int rr = r + dr;
              int cc = c + dc;
              if (rr < 0 || rr >= SIDE || cc < 0 || cc >= SIDE) {
                continue; // SAME padding: zeros
              }
              for (int i = 0; i < channels; i++) {
                double p = (double) x[(rr * SIDE + cc) * channels + i]
                    * w[(((dr + 1) * 3 + dc + 1) * channels + i) * OUT_CHANNELS + o];
                y += p;
                abs += Math.abs(p);
              }
            }
          }
          y = Math.max(0, y);
          double bound = (2 * u + u * u) * (1 + u) * abs + u * y + ACCUMULATION * abs;
          double err = Math.abs(b[(r * SIDE + c) * OUT_CHANNELS + o] - y);
          maxError = Math.max(maxError, err);
          ratio = Math.max(ratio, err / bound);
        }
      }
    }
    return new Verdict(channels, maxError, ratio);
  }

  private static float[] run(float[] x, float[] w, int channels) {
    try (Graph g = new Graph(); Session s = new Session(g, SessionConfig.get(Precision.BF16))) {
      Ops tf = Ops.create(g);
      // A variable, as a model's weights are, so the rewrite sees the same pattern as in a network.
      Operand<TFloat32> weights = tf.variable(tf.constant(Shape.of(3, 3, channels, OUT_CHANNELS),
          DataBuffers.of(w, true, false)));
      var in = tf.placeholder(TFloat32.class);
      Operand<TFloat32> out = tf.nn.relu(tf.nn.conv2d(in, weights, List.of(1L, 1L, 1L, 1L), "SAME"));
      s.initialize();
      try (TFloat32 t = TFloat32.tensorOf(Shape.of(1, SIDE, SIDE, channels), DataBuffers.of(x, true, false));
          TFloat32 r = (TFloat32) s.runner().feed(in, t).fetch(out).run().get(0)) {
        float[] o = new float[(int) r.shape().size()];
        r.asRawTensor().data().asFloats().read(o);
        return o;
      }
    }
  }
}
