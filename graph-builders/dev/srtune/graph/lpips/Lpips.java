package dev.srtune.graph.lpips;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * LPIPS v0.1 distance between two NHWC batches of RGB images in [0,1], as the official {@code lpips.LPIPS}
 * (lpips=True, spatial average, inputs mapped to [−1,1]) computes it:
 * <pre>
 *   x → 2x − 1 → (x − shift) / scale                          (scaling layer)
 *   f_k = backbone tap k                                      (SqueezeNet 1.1 / AlexNet / VGG16 features)
 *   n_k = f_k / (sqrt(Σ_c f_k²) + 1e-10)                      (unit length over channels)
 *   d   = Σ_k mean_hw( Σ_c w_kc (n0_k − n1_k)² )              (1×1 linear heads, no bias)
 * </pre>
 * Every op used has a registered gradient, so the distance can be differentiated w.r.t. either input.
 * Weights enter the graph as constants, once, shared by the passes of both inputs.
 */
public final class Lpips {
  /** LPIPS's ScalingLayer buffers (ImageNet statistics on the [−1,1] scale), as float32 like PyTorch holds them. */
  public static final float[] SHIFT = {-.030f, -.088f, -.188f};
  public static final float[] SCALE = {.458f, .448f, .450f};
  static final float NORM_EPS = 1e-10f;
  /**
   * Floor under Σ_c f² before the square root. It only touches feature vectors with |f| < 1e-15, which normalise
   * to ~0 either way, and keeps the gradient finite where a ReLU zeroed every channel (sqrt'(0) = ∞ gives NaN).
   */
  static final float SUM_SQUARES_FLOOR = 1e-30f;

  private Lpips() {}

  /**
   * The distance graph.
   *
   * @param x0 images [N,h,w,3] in [0,1]
   * @param x1 images of the same shape
   * @return the distance per image [N] and each tap's contribution [N]
   */
  public static Distance build(Ops tf, LpipsWeights weights, Operand<TFloat32> x0, Operand<TFloat32> x1) {
    Shape a = x0.shape();
    Shape b = x1.shape();
    if (!isRgbBatch(a) || !isRgbBatch(b)) {
      throw new IllegalArgumentException("LPIPS takes two NHWC RGB batches [N,h,w,3], got " + a + " and " + b);
    }
    if (!a.isUnknown() && !b.isUnknown() && !a.hasUnknownDimension() && !b.hasUnknownDimension() && !a.equals(b)) {
      throw new IllegalArgumentException("LPIPS compares images of the same size, got " + a + " and " + b);
    }
    Ops s = tf.withSubScope("lpips_" + weights.net().id());
    Backbone net = new Backbone(s.withSubScope("weights"), weights);
    // Two passes through the same constants rather than one batch of both: identical inputs then give
    // bit-identical features and a distance of exactly 0, as in PyTorch.
    List<Operand<TFloat32>> taps0 = net.features(s.withSubScope("x0"), scale(s.withSubScope("x0"), x0));
    List<Operand<TFloat32>> taps1 = net.features(s.withSubScope("x1"), scale(s.withSubScope("x1"), x1));
    List<Operand<TFloat32>> perTap = new ArrayList<>();
    Operand<TFloat32> total = null;
    for (int k = 0; k < taps0.size(); k++) {
      Ops t = s.withSubScope("tap" + k);
      Operand<TFloat32> diff = t.math.squaredDifference(normalise(t, taps0.get(k)), normalise(t, taps1.get(k)));
      float[] w = weights.heads().get(k);
      Operand<TFloat32> head = t.constant(Shape.of(w.length), DataBuffers.of(w, true, false));
      Operand<TFloat32> weighted = t.reduceSum(t.math.mul(diff, head), t.constant(3)); // 1×1 conv, no bias
      Operand<TFloat32> d = t.math.mean(weighted, t.constant(new int[] {1, 2}));        // spatial average
      perTap.add(d);
      total = total == null ? d : s.math.add(total, d);
    }
    return new Distance(s.identity(total), List.copyOf(perTap));
  }

  /** True unless the static shape is known to be something other than [N,h,w,3]. */
  private static boolean isRgbBatch(Shape s) {
    return s.isUnknown() || (s.numDimensions() == 4 && (s.get(3) < 0 || s.get(3) == 3));
  }

  /** The backbone's activations at each tap, for images in [0,1] (the scaling layer included). */
  public static List<Operand<TFloat32>> features(Ops tf, LpipsWeights weights, Operand<TFloat32> x) {
    return new Backbone(tf.withSubScope("weights"), weights).features(tf, scale(tf, x));
  }

  /** The distance per image [N] and the contribution of each tap [N]. */
  public record Distance(Operand<TFloat32> distance, List<Operand<TFloat32>> perTap) {}

  static Operand<TFloat32> scale(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> pm1 = tf.math.sub(tf.math.mul(x, tf.constant(2f)), tf.constant(1f));
    return tf.math.div(tf.math.sub(pm1, tf.constant(SHIFT)), tf.constant(SCALE));
  }

  static Operand<TFloat32> normalise(Ops tf, Operand<TFloat32> f) {
    Operand<TFloat32> sumSq = tf.reduceSum(tf.math.square(f), tf.constant(new int[] {3}),
        org.tensorflow.op.core.ReduceSum.keepDims(true));
    Operand<TFloat32> norm = tf.math.sqrt(tf.math.maximum(sumSq, tf.constant(SUM_SQUARES_FLOOR)));
    return tf.math.div(f, tf.math.add(norm, tf.constant(NORM_EPS)));
  }

  /** A backbone's weights as graph constants, made once and shared by every pass through it. */
  private static final class Backbone {
    private final LpipsWeights weights;
    private final java.util.Map<String, Operand<TFloat32>> kernels = new java.util.HashMap<>();
    private final java.util.Map<String, Operand<TFloat32>> biases = new java.util.HashMap<>();

    Backbone(Ops tf, LpipsWeights weights) {
      this.weights = weights;
      weights.convs().forEach((name, f) -> {
        Ops c = tf.withSubScope(name.replace('.', '_'));
        kernels.put(name, c.withName("kernel").constant(Shape.of(f.kernel(), f.kernel(), f.in(), f.out()),
            DataBuffers.of(f.hwio(), true, false)));
        biases.put(name, c.withName("bias").constant(f.bias()));
      });
    }

    List<Operand<TFloat32>> features(Ops tf, Operand<TFloat32> x) {
      List<Operand<TFloat32>> taps = new ArrayList<>();
      Operand<TFloat32> h = x;
      for (LpipsNet.Layer l : weights.net().layers()) {
        if (l instanceof LpipsNet.Layer.Conv c) {
          h = conv(tf.withSubScope("features_" + c.index()), "features." + c.index(), h, c.stride(), c.padding());
        } else if (l instanceof LpipsNet.Layer.Fire f) {
          h = fire(tf.withSubScope("features_" + f.index()), "features." + f.index(), h);
        } else if (l instanceof LpipsNet.Layer.Pool p) {
          h = maxPool(tf, h, p);
        } else if (l == LpipsNet.Layer.RELU) {
          h = tf.nn.relu(h);
        } else if (l == LpipsNet.Layer.TAP) {
          taps.add(h);
        }
      }
      return taps;
    }

    private Operand<TFloat32> fire(Ops tf, String prefix, Operand<TFloat32> x) {
      Operand<TFloat32> sq = tf.nn.relu(conv(tf.withSubScope("squeeze"), prefix + ".squeeze", x, 1, 0));
      Operand<TFloat32> e1 = tf.nn.relu(conv(tf.withSubScope("expand1x1"), prefix + ".expand1x1", sq, 1, 0));
      Operand<TFloat32> e3 = tf.nn.relu(conv(tf.withSubScope("expand3x3"), prefix + ".expand3x3", sq, 1, 1));
      return tf.concat(List.of(e1, e3), tf.constant(3));
    }

    /** PyTorch Conv2d: symmetric zero padding, then a 'valid' cross-correlation, plus bias. */
    private Operand<TFloat32> conv(Ops tf, String name, Operand<TFloat32> x, int stride, int pad) {
      Operand<TFloat32> in = pad == 0 ? x
          : tf.pad(x, tf.constant(new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}), tf.constant(0f));
      Operand<TFloat32> y = tf.nn.conv2d(in, kernels.get(name), List.of(1L, (long) stride, (long) stride, 1L), "VALID");
      return tf.nn.biasAdd(y, biases.get(name));
    }
  }

  /**
   * PyTorch MaxPool2d without padding. With ceil_mode the output has ceil((n − k)/s) + 1 positions, which a
   * 'valid' pool gives after s − 1 extra rows and columns at the bottom and right. Those are zeros: every pool
   * in these backbones follows a ReLU, so its inputs are ≥ 0 and a zero never exceeds the window's true maximum
   * (each window keeps at least one real sample).
   */
  static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> x, LpipsNet.Layer.Pool p) {
    Operand<TFloat32> in = x;
    if (p.ceilMode() && p.stride() > 1) {
      int e = p.stride() - 1;
      in = tf.pad(x, tf.constant(new int[][] {{0, 0}, {0, e}, {0, e}, {0, 0}}), tf.constant(0f));
    }
    return tf.nn.maxPool(in, tf.constant(new int[] {1, p.kernel(), p.kernel(), 1}),
        tf.constant(new int[] {1, p.stride(), p.stride(), 1}), "VALID");
  }
}
