package dev.srtune.graph.dip;

import dev.srtune.graph.train.ModelVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;

/**
 * Deep Image Prior's "skip" encoder-decoder (models/skip.py of the authors' code) with the settings of its
 * super-resolution experiment: {@code scales} levels; at each, the encoder branch is a stride-2 3×3 convolution then
 * a 3×3 convolution ({@code width} channels each), the deeper levels, and a ×2 bilinear upsampling (half-pixel
 * centres, PyTorch's align_corners=False); the skip branch a 1×1 convolution to {@code skipChannels} channels; the
 * two are concatenated (skip first), normalised, and followed by a 3×3 and a 1×1 convolution of {@code width}
 * channels; the last level's output goes through a 1×1 convolution to RGB and a sigmoid. Every convolution has a
 * bias and reflection padding and is followed by batch normalisation and LeakyReLU(0.2).
 *
 * <p>Batch normalisation is PyTorch's in training mode, which is how the authors run the network throughout: with a
 * batch of one, each channel is normalised by its spatial mean and (biased) variance, ε = 1e-5, then scaled and
 * shifted by learnt γ (1 at the start) and β (0). Convolution weights and biases start as PyTorch's defaults,
 * U(−1/√fan_in, 1/√fan_in), drawn from a Java {@link Random} with the caller's seed. All variables are ref variables
 * (VariableV2). Spatial sizes are static: the input's height and width must be multiples of 2^scales.
 */
public final class SkipHourglass {
  public static final int INPUT_DEPTH_DEFAULT = 32;
  public static final int WIDTH_DEFAULT = 128;
  public static final int SKIP_DEFAULT = 4;
  public static final int SCALES_DEFAULT = 5;
  static final float LEAK = 0.2f;
  static final float BN_EPSILON = 1e-5f;

  private final int inputDepth;
  private final int width;
  private final int skipChannels;
  private final int scales;
  private final Random random;
  private final List<ModelVariable> variables = new ArrayList<>();
  private int layer;

  private SkipHourglass(int inputDepth, int width, int skipChannels, int scales, long seed) {
    this.inputDepth = inputDepth;
    this.width = width;
    this.skipChannels = skipChannels;
    this.scales = scales;
    this.random = new Random(seed);
  }

  /** What an input must be divisible by (2^scales). */
  public static int multiple(int scales) {
    return 1 << scales;
  }

  /**
   * Adds the network applied to {@code z} ([1,H,W,inputDepth], H and W multiples of 2^scales) and returns its
   * output [1,H,W,3] in (0,1); {@link #variables()} then lists the weights.
   */
  public static SkipHourglass build(Ops tf, int inputDepth, int width, int skipChannels, int scales, long seed,
      Operand<TFloat32> z, Operand<TFloat32>[] output) {
    SkipHourglass net = new SkipHourglass(inputDepth, width, skipChannels, scales, seed);
    Operand<TFloat32> top = net.level(tf.withSubScope("hourglass"), z, inputDepth, 0);
    Ops head = tf.withSubScope("head");
    output[0] = head.math.sigmoid(net.conv(head, top, width, 3, 1, 1));
    return net;
  }

  public List<ModelVariable> variables() {
    return List.copyOf(variables);
  }

  public long parameters() {
    return variables.stream().mapToLong(ModelVariable::size).sum();
  }

  public String describe() {
    return String.format("skip hourglass: input depth %d, %d scales, %d channels down/up, %d skip channels, "
        + "bilinear upsampling, reflection padding, LeakyReLU(0.2), batch norm (batch statistics), sigmoid output; "
        + "%d parameters", inputDepth, scales, width, skipChannels, parameters());
  }

  private Operand<TFloat32> level(Ops tf, Operand<TFloat32> x, int inDepth, int i) {
    Ops s = tf.withSubScope("level" + i);
    Operand<TFloat32> d = block(s, conv(s, x, inDepth, width, 3, 2));
    d = block(s, conv(s, d, width, width, 3, 1));
    int k = width;
    if (i < scales - 1) {
      d = level(tf, d, width, i + 1);
      k = width;
    }
    d = upsample2(s, d);
    Operand<TFloat32> joined = d;
    if (skipChannels > 0) {
      Operand<TFloat32> skip = block(s, conv(s, x, inDepth, skipChannels, 1, 1));
      joined = s.concat(List.of(skip, d), s.constant(3));
    }
    joined = batchNorm(s, joined, skipChannels + k);
    Operand<TFloat32> o = block(s, conv(s, joined, skipChannels + k, width, 3, 1));
    return block(s, conv(s, o, width, width, 1, 1));
  }

  /** Batch norm then LeakyReLU, after every convolution. */
  private Operand<TFloat32> block(Ops tf, Operand<TFloat32> x) {
    return tf.nn.leakyRelu(batchNorm(tf, x, channels(x)), org.tensorflow.op.nn.LeakyRelu.alpha(LEAK));
  }

  private static int channels(Operand<TFloat32> x) {
    return (int) x.shape().get(3);
  }

  private Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, int in, int out, int k, int stride) {
    int n = layer++;
    Ops c = tf.withSubScope("conv" + n);
    double bound = 1 / Math.sqrt((double) in * k * k);
    Operand<TFloat32> w = variable(c, "weights", Shape.of(k, k, in, out), bound);
    Operand<TFloat32> b = variable(c, "bias", Shape.of(out), bound);
    Operand<TFloat32> padded = x;
    int p = (k - 1) / 2;
    if (p > 0) {
      padded = c.mirrorPad(x, c.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), "REFLECT");
    }
    Operand<TFloat32> y = c.nn.conv2d(padded, c.identity(w), List.of(1L, (long) stride, (long) stride, 1L), "VALID");
    return c.nn.biasAdd(y, c.identity(b));
  }

  private Operand<TFloat32> batchNorm(Ops tf, Operand<TFloat32> x, int channels) {
    Ops bn = tf.withSubScope("bn" + layer++);
    Operand<TFloat32> gamma = constantVariable(bn, "gamma", channels, 1f);
    Operand<TFloat32> beta = constantVariable(bn, "beta", channels, 0f);
    Operand<org.tensorflow.types.TInt32> axes = bn.constant(new int[] {0, 1, 2});
    Operand<TFloat32> mean = bn.math.mean(x, axes, org.tensorflow.op.math.Mean.keepDims(true));
    Operand<TFloat32> variance = bn.math.mean(bn.math.squaredDifference(x, mean), axes,
        org.tensorflow.op.math.Mean.keepDims(true));
    Operand<TFloat32> normalised = bn.math.mul(bn.math.sub(x, mean),
        bn.math.rsqrt(bn.math.add(variance, bn.constant(BN_EPSILON))));
    return bn.math.add(bn.math.mul(normalised, bn.identity(gamma)), bn.identity(beta));
  }

  private Operand<TFloat32> upsample2(Ops tf, Operand<TFloat32> x) {
    Shape s = x.shape();
    return tf.image.resizeBilinear(x, tf.constant(new int[] {(int) s.get(1) * 2, (int) s.get(2) * 2}),
        ResizeBilinear.halfPixelCenters(true));
  }

  private Operand<TFloat32> variable(Ops tf, String name, Shape shape, double bound) {
    float[] v = new float[(int) shape.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return register(tf, name, shape, v);
  }

  private Operand<TFloat32> constantVariable(Ops tf, String name, int n, float value) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, value);
    return register(tf, name, Shape.of(n), v);
  }

  private Operand<TFloat32> register(Ops tf, String name, Shape shape, float[] values) {
    Operand<TFloat32> v = tf.withName(name).variable(tf.withInitScope().constant(shape,
        DataBuffers.of(values, true, false)));
    variables.add(new ModelVariable((GraphOperation) v.op(), false, shape));
    return v;
  }
}
