package dev.srtune.graph.zssr;

import dev.srtune.graph.train.ModelVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * ZSSR's network: {@code depth} 3×3 convolutions without biases, {@code width} channels, ReLU between them (none
 * after the last), zero ("SAME") padding, added to its input, the image interpolated to the output size:
 * f(x) = x + conv_D(relu(… relu(conv_1(x)))). Weights are drawn from N(0, initVariance / (3·3·channels_in)) as in
 * the published code (init_variance 0.1), from a Java {@link Random} seeded by the caller, so one seed gives the
 * same network on every machine. The filters are ref variables (VariableV2) initialised by the session's
 * initializers.
 */
public final class ZssrNetwork {
  public static final int DEPTH_DEFAULT = 8;
  public static final int WIDTH_DEFAULT = 64;
  public static final double INIT_VARIANCE_DEFAULT = 0.1;
  private static final int KERNEL = 3;

  private final List<Operand<TFloat32>> filters;
  private final List<ModelVariable> variables;

  private ZssrNetwork(List<Operand<TFloat32>> filters, List<ModelVariable> variables) {
    this.filters = filters;
    this.variables = variables;
  }

  /** Adds the network's variables (named {@code filter_0..}) under {@code tf}'s scope. */
  public static ZssrNetwork create(Ops tf, int depth, int width, double initVariance, long seed) {
    if (depth < 2 || width < 1) {
      throw new IllegalArgumentException("ZSSR needs at least 2 layers and 1 channel, got " + depth + "x" + width);
    }
    Random random = new Random(seed);
    List<Operand<TFloat32>> filters = new ArrayList<>();
    List<ModelVariable> vars = new ArrayList<>();
    for (int l = 0; l < depth; l++) {
      int in = l == 0 ? 3 : width;
      int out = l == depth - 1 ? 3 : width;
      Shape shape = Shape.of(KERNEL, KERNEL, in, out);
      float[] w = new float[(int) shape.size()];
      double std = Math.sqrt(initVariance / (KERNEL * KERNEL * in));
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (random.nextGaussian() * std);
      }
      Ops init = tf.withInitScope();
      Operand<TFloat32> v = tf.withName("filter_" + l).variable(init.constant(shape, DataBuffers.of(w, true, false)));
      filters.add(v);
      vars.add(new ModelVariable((GraphOperation) v.op(), false, shape));
    }
    return new ZssrNetwork(List.copyOf(filters), List.copyOf(vars));
  }

  /** The network on {@code interpolated} ([1,H,W,3], the LR already enlarged to the output size). */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> interpolated) {
    Operand<TFloat32> x = interpolated;
    for (int l = 0; l < filters.size(); l++) {
      // Through an Identity: ops applied straight to a VariableV2 output have crashed gradient code (TFJAVA.md).
      x = tf.nn.conv2d(x, tf.identity(filters.get(l)), List.of(1L, 1L, 1L, 1L), "SAME");
      if (l < filters.size() - 1) {
        x = tf.nn.relu(x);
      }
    }
    return tf.math.add(interpolated, x);
  }

  /** The trainable filters, in layer order. */
  public List<ModelVariable> variables() {
    return variables;
  }

  public long parameters() {
    return variables.stream().mapToLong(ModelVariable::size).sum();
  }
}
