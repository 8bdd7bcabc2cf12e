package dev.srtune.graph.degradation;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * PIL's antialiased Lanczos resize ({@code Image.resize(size, LANCZOS)}, the filter EnhanceNet's LR images were made
 * with) for an integer factor s. PIL maps output o to input centre c = (o + 0.5)·s, evaluates
 * sinc(x)·sinc(x/3) (x in [-3, 3)) at (k − c + 0.5)/s for taps k from int(c − 3s + 0.5) to int(c + 3s + 0.5) − 1,
 * and normalises by the sum of the weights. Taps outside the image are dropped and the rest renormalised: with
 * zeros outside the image that is conv(x) / conv(ones), so each pass stays a fixed strided convolution.
 * Width pass first, then height, as PIL does. Input sides must be multiples of s; output is H/s x W/s.
 */
public final class LanczosDownsampler extends PlanePassDownsampler {
  static final double LOBES = 3;
  private final int scale;
  private final double[] taps;
  /** Zeros added before the first sample so that output o's window starts at o·s in the padded signal. */
  private final int padBefore;
  private final int padAfter;

  public LanczosDownsampler(int scale) {
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be >= 1, got " + scale);
    }
    this.scale = scale;
    // An output far from the border gives the interior window; every interior window is this one shifted by o·s.
    int o = 8 * scale;
    double centre = (o + 0.5) * scale;
    double support = LOBES * scale;
    int xmin = (int) (centre - support + 0.5);
    int xmax = (int) (centre + support + 0.5);
    double[] w = new double[xmax - xmin];
    double sum = 0;
    for (int x = 0; x < w.length; x++) {
      w[x] = lanczos3((x + xmin - centre + 0.5) / scale);
      sum += w[x];
    }
    for (int x = 0; x < w.length; x++) {
      w[x] /= sum;
    }
    this.taps = w;
    this.padBefore = o * scale - xmin;
    this.padAfter = w.length - scale - padBefore;
  }

  /** PIL's lanczos_filter: truncated sinc, support [-3, 3). */
  static double lanczos3(double x) {
    if (-LOBES <= x && x < LOBES) {
      return sinc(x) * sinc(x / LOBES);
    }
    return 0;
  }

  private static double sinc(double x) {
    if (x == 0) {
      return 1;
    }
    double px = x * Math.PI;
    return Math.sin(px) / px;
  }

  /** The normalised interior taps (for tests and documentation). */
  double[] taps() {
    return taps.clone();
  }

  @Override
  String scopeName() {
    return "lanczos3_down_x" + scale;
  }

  @Override
  public List<Integer> passOrder() {
    return List.of(2, 1);
  }

  @Override
  Operand<TFloat32> planePass(Ops tf, Operand<TFloat32> planes, int axis) {
    Operand<TFloat32> sums = stridedTaps(tf, zeroPad(tf, planes, axis), taps, axis);
    // The in-range weight of every output along this axis: the same convolution of a line of ones.
    Operand<TInt32> length = tf.reshape(tf.gather(tf.shape(planes), tf.constant(new int[] {axis}), tf.constant(0)),
        tf.constant(new int[] {1}));
    Operand<TInt32> one = tf.constant(new int[] {1});
    Operand<TInt32> onesShape = axis == 1
        ? tf.concat(List.of(one, length, one, one), tf.constant(0))
        : tf.concat(List.of(one, one, length, one), tf.constant(0));
    Operand<TFloat32> ones = tf.stopGradient(tf.fill(onesShape, tf.constant(1f)));
    Operand<TFloat32> inRange = stridedTaps(tf, zeroPad(tf, ones, axis), taps, axis);
    return tf.math.div(sums, inRange);
  }

  private Operand<TFloat32> zeroPad(Ops tf, Operand<TFloat32> x, int axis) {
    int[][] p = new int[4][2];
    p[axis][0] = padBefore;
    p[axis][1] = padAfter;
    return tf.pad(x, tf.constant(p), tf.constant(0f));
  }

  @Override
  public int scale() {
    return scale;
  }

  @Override
  public String spec() {
    return "lanczos3";
  }

  @Override
  public String toString() {
    return spec() + " x" + scale;
  }
}
