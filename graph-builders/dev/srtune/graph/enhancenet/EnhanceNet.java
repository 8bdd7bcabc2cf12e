package dev.srtune.graph.enhancenet;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.image.ResizeBicubic;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * The EnhanceNet generator: conv+relu, 10 residual blocks (conv, relu, conv, + skip), nearest-neighbour
 * upsampling with conv+relu, conv+relu, conv to 3 channels, plus a bicubic upscale of the input as residual.
 * Variables are ref variables named as in the original checkpoint: {@code generator/Conv{,_1.._24}/{weights,biases}}.
 *
 * <p>Scale variants (the paper's Section IV-A and Figure 2): 4 is the original; 2 drops the second ×2
 * upsample (its conv/relu kept); 3 uses one ×3 upsample in place of both. The bicubic residual follows the scale.
 */
public final class EnhanceNet {
  /** Per-channel means the original subtracts from the [0,1] input. */
  public static final float[] PER_CHANNEL_MEANS = {0.47614917f, 0.45001204f, 0.40904046f};
  public static final int NATIVE_SCALE = 4;
  public static final int CONV_LAYERS = 25;
  private static final int FEATURES = 64;
  private static final int RESIDUAL_BLOCKS = 10;

  /** One convolution layer's variables. */
  public record ConvVariables(String name, Variable<TFloat32> weights, Variable<TFloat32> biases) {}

  /** The built network: its input/output and variables in checkpoint order. */
  public record Network(Operand<TFloat32> sr, List<ConvVariables> layers) {}

  private final Ops tf;
  private final int scale;
  private final List<ConvVariables> layers = new ArrayList<>();

  private EnhanceNet(Ops tf, int scale) {
    this.tf = tf;
    this.scale = scale;
  }

  /** Checkpoint name of the i-th convolution in graph order: Conv, Conv_1, ..., Conv_24. */
  public static String convName(int i) {
    return i == 0 ? "Conv" : "Conv_" + i;
  }

  /** Shape of the i-th convolution's weights (HWIO). */
  public static Shape weightShape(int i) {
    int in = i == 0 ? 3 : FEATURES;
    int out = i == CONV_LAYERS - 1 ? 3 : FEATURES;
    return Shape.of(3, 3, in, out);
  }

  /**
   * Builds the generator on {@code lr} ([1,h,w,3], RGB in [0,1]); returns the [0,1]-space output (unclipped).
   * The variables are created without initial values: restore them from a checkpoint.
   */
  public static Network build(Ops tf, Operand<TFloat32> lr, int scale) {
    if (scale != 2 && scale != 3 && scale != 4) {
      throw new IllegalArgumentException("EnhanceNet can be built for scale 2, 3 or 4, not " + scale);
    }
    return new EnhanceNet(tf, scale).network(lr);
  }

  private Network network(Operand<TFloat32> lr) {
    Ops g = tf.withSubScope("generator");
    Operand<TFloat32> means = tf.constant(Shape.of(1, 1, 1, 3),
        org.tensorflow.ndarray.buffer.DataBuffers.of(PER_CHANNEL_MEANS.clone(), true, false));
    Operand<TFloat32> x = tf.math.sub(lr, means);

    Operand<TFloat32> h = tf.nn.relu(conv(g, x));
    for (int b = 0; b < RESIDUAL_BLOCKS; b++) {
      Operand<TFloat32> skip = h;
      h = conv(g, tf.nn.relu(conv(g, h)));
      h = tf.math.add(h, skip);
    }
    if (scale == 3) {
      h = tf.nn.relu(conv(g, upsampleNearest(h, 3)));
      h = tf.nn.relu(conv(g, h));
    } else {
      h = tf.nn.relu(conv(g, upsampleNearest(h, 2)));
      h = tf.nn.relu(conv(g, scale == 4 ? upsampleNearest(h, 2) : h));
    }
    h = tf.nn.relu(conv(g, h));
    h = conv(g, h);

    // Bicubic residual as tf.image.resize_images(BICUBIC) of TF 0.12: legacy ResizeBicubic, no half-pixel centres.
    Operand<TFloat32> residual = tf.image.resizeBicubic(x, scaledSize(x, scale),
        ResizeBicubic.alignCorners(false), ResizeBicubic.halfPixelCenters(false));
    Operand<TFloat32> sr = tf.math.add(tf.math.add(h, residual), means);
    return new Network(sr, List.copyOf(layers));
  }

  private Operand<TFloat32> conv(Ops g, Operand<TFloat32> in) {
    int i = layers.size();
    Ops layer = g.withSubScope(convName(i));
    Variable<TFloat32> w = layer.withName("weights").variable(weightShape(i), TFloat32.class);
    Variable<TFloat32> b = layer.withName("biases").variable(Shape.of(weightShape(i).get(3)), TFloat32.class);
    layers.add(new ConvVariables("generator/" + convName(i), w, b));
    Operand<TFloat32> c = layer.nn.conv2d(in, w, List.of(1L, 1L, 1L, 1L), "SAME");
    return layer.nn.biasAdd(c, b);
  }

  private Operand<TFloat32> upsampleNearest(Operand<TFloat32> h, int factor) {
    return tf.image.resizeNearestNeighbor(h, scaledSize(h, factor));
  }

  private Operand<TInt32> scaledSize(Operand<TFloat32> h, int factor) {
    Operand<TInt32> hw = tf.slice(tf.shape(h), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
    return tf.math.mul(hw, tf.constant(new int[] {factor, factor}));
  }

  /** Checkpoint tensor names in graph order: generator/Conv/weights, generator/Conv/biases, ... */
  public static List<String> checkpointNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CONV_LAYERS; i++) {
      names.add("generator/" + convName(i) + "/weights");
      names.add("generator/" + convName(i) + "/biases");
    }
    return names;
  }

  /**
   * Adds a RestoreV2 of every variable of {@code net} (it reads the original TF 0.12 single-file v1 checkpoint
   * directly) and the assignments from it. The checkpoint path is fed at run time to {@code path}, so the
   * graph holds no path of the user's. Run the returned op once to load the weights.
   */
  public static org.tensorflow.op.Op restoreOp(Ops tf, Network net, Operand<TString> path) {
    Ops r = tf.withSubScope("restore_checkpoint");
    List<String> names = new ArrayList<>();
    List<Variable<TFloat32>> vars = new ArrayList<>();
    for (ConvVariables layer : net.layers()) {
      names.add(layer.name() + "/weights");
      vars.add(layer.weights());
      names.add(layer.name() + "/biases");
      vars.add(layer.biases());
    }
    String[] slices = new String[names.size()];
    java.util.Arrays.fill(slices, "");
    List<Class<? extends org.tensorflow.types.family.TType>> types = new ArrayList<>();
    names.forEach(n -> types.add(TFloat32.class));
    org.tensorflow.op.train.Restore restored = r.train.restore(path,
        r.constant(java.nio.charset.StandardCharsets.UTF_8, names.toArray(String[]::new)),
        r.constant(java.nio.charset.StandardCharsets.UTF_8, slices), types);
    List<org.tensorflow.op.Op> assigns = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> value = (Operand<TFloat32>) restored.tensors().get(i);
      assigns.add(r.assign(vars.get(i), value));
    }
    return r.withControlDependencies(assigns).noOp();
  }
}
