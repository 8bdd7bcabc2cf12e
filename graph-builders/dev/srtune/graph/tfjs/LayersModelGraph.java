package dev.srtune.graph.tfjs;

import dev.srtune.graph.tfjs.KerasLayer.TensorRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Emits a {@link LayersModel} as plain TensorFlow ops: each Keras layer becomes the ops TF.js runs for it, and
 * each weight a ref variable named {@code <layer>/<weight>} (e.g. {@code F_0/kernel}). Only ops with a registered
 * gradient are used, so the result can be fine-tuned. The variables are created empty: the caller assigns
 * {@link ImportedVariable#value()} to each (see {@link TfjsImporter}).
 *
 * <p>Layers are found by class name in {@link #LAYERS} (PixelShuffle&lt;n&gt;x by prefix); any other class is a
 * {@link TfjsModelException} naming the layer.
 */
public final class LayersModelGraph {

  /** A variable the graph created and the weight it must hold. */
  public record ImportedVariable(Variable<TFloat32> variable, WeightTensor value) {}

  /** The built network: its output (in the model's own value range) and its variables in creation order. */
  public record Built(Operand<TFloat32> output, List<ImportedVariable> variables) {}

  /** Builds one Keras layer's ops from its inputs. */
  @FunctionalInterface
  interface LayerOps {
    Operand<TFloat32> apply(LayersModelGraph g, Ops scope, KerasLayer layer, List<Operand<TFloat32>> in);
  }

  /** The Keras layer classes srtune rebuilds, by class name. */
  static final Map<String, LayerOps> LAYERS = Map.ofEntries(
      Map.entry("Conv2D", LayersModelGraph::conv2d),
      Map.entry("DepthwiseConv2D", ConvolutionLayers::depthwiseConv2d),
      Map.entry("SeparableConv2D", ConvolutionLayers::separableConv2d),
      Map.entry("Conv2DTranspose", ConvolutionLayers::conv2dTranspose),
      Map.entry("BatchNormalization", ElementwiseLayers::batchNormalization),
      Map.entry("PReLU", ElementwiseLayers::prelu),
      Map.entry("ZeroPadding2D", ElementwiseLayers::zeroPadding2d),
      Map.entry("TensorFlowOpLayer", TensorFlowOpLayer::build),
      Map.entry("Activation", (g, s, l, in) -> activation(s, l, l.stringConfig("activation", "linear"),
          single(l, in))),
      Map.entry("Concatenate", LayersModelGraph::concatenate),
      Map.entry("Add", (g, s, l, in) -> in.size() == 2 ? s.math.add(in.get(0), in.get(1)) : s.math.addN(in)),
      Map.entry("Multiply", LayersModelGraph::multiply),
      Map.entry("UpSampling2D", LayersModelGraph::upSampling2d),
      Map.entry("LeakyReLU", (g, s, l, in) -> s.nn.leakyRelu(single(l, in),
          LeakyRelu.alpha(l.config().has("alpha") ? l.config().get("alpha").getAsFloat() : 0.3f))),
      Map.entry("ReLU", ElementwiseLayers::relu),
      // UpscalerJS' RRDN layers (registered by its model definitions): x * beta, and depth_to_space(scale).
      Map.entry("MultiplyBeta", (g, s, l, in) -> s.math.mul(single(l, in), s.constant(
          l.config().has("beta") ? l.config().get("beta").getAsFloat() : 0.2f))));

  private final Ops tf;
  private final LayersModel model;
  private final Operand<TFloat32> input;
  private final Map<TensorRef, Operand<TFloat32>> outputs = new HashMap<>();
  private final Map<String, Variable<TFloat32>> variablesByWeight = new HashMap<>();
  private final List<ImportedVariable> variables = new ArrayList<>();

  private LayersModelGraph(Ops tf, LayersModel model, Operand<TFloat32> input) {
    this.tf = tf;
    this.model = model;
    this.input = input;
  }

  /**
   * Builds {@code model} on {@code input} ([1,h,w,c] in the model's own value range) and returns its output.
   * The model must have one input and one output.
   */
  public static Built build(Ops tf, LayersModel model, Operand<TFloat32> input) {
    if (model.inputs().size() != 1 || model.outputs().size() != 1) {
      throw new TfjsModelException("Model '" + model.name() + "' has " + model.inputs().size() + " inputs and "
          + model.outputs().size() + " outputs; an SR network has one of each.");
    }
    LayersModelGraph g = new LayersModelGraph(tf, model, input);
    Operand<TFloat32> out = g.tensor(model.outputs().get(0));
    return new Built(out, List.copyOf(g.variables));
  }

  /** Class names this builder accepts, for messages. */
  public static Set<String> supportedClasses() {
    Set<String> s = new TreeSet<>(LAYERS.keySet());
    s.add("InputLayer");
    s.add("PixelShuffle<n>x");
    return s;
  }

  /** The output of a layer call, building it (and what it depends on) on first use. */
  private Operand<TFloat32> tensor(TensorRef ref) {
    Operand<TFloat32> done = outputs.get(ref);
    if (done != null) {
      return done;
    }
    KerasLayer layer = model.layer(ref.layer());
    Operand<TFloat32> out;
    if (layer.className().equals("InputLayer")) {
      out = input;
    } else {
      if (ref.node() >= layer.inboundNodes().size() || ref.tensor() != 0) {
        throw new TfjsModelException("Layer '" + layer.name() + "' is referenced as output " + ref.tensor()
            + " of call " + ref.node() + ", which the model does not define.");
      }
      List<Operand<TFloat32>> in = new ArrayList<>();
      for (TensorRef r : layer.inboundNodes().get(ref.node())) {
        in.add(tensor(r));
      }
      out = ops(layer).apply(this, tf.withSubScope(opName(layer.name())), layer, in);
    }
    outputs.put(ref, out);
    return out;
  }

  private static LayerOps ops(KerasLayer layer) {
    if (PixelShuffle.isPixelShuffle(layer)) {
      return (g, s, l, in) -> s.nn.depthToSpace(single(l, in), (long) PixelShuffle.factor(l));
    }
    LayerOps o = LAYERS.get(layer.className());
    if (o == null) {
      throw new TfjsModelException("Layer '" + layer.name() + "' is a " + layer.className()
          + ", which srtune cannot rebuild (supported: " + String.join(", ", supportedClasses()) + ").");
    }
    return o;
  }

  /** TF op names allow letters, digits and {@code _ . -}; Keras names almost always fit. */
  public static String opName(String layerName) {
    String s = layerName.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    return s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0)) ? "L" + s : s;
  }

  Variable<TFloat32> variable(Ops scope, KerasLayer layer, String weight) {
    String key = layer.name() + "/" + weight;
    Variable<TFloat32> v = variablesByWeight.get(key);
    if (v != null) {
      return v; // a shared layer called again reuses its weights
    }
    WeightTensor w = model.weights().get(key);
    if (w == null) {
      throw new TfjsModelException("Layer '" + layer.name() + "' needs weight '" + key
          + "', which the weights manifest does not list.");
    }
    v = scope.withName(weight).variable(w.tfShape(), TFloat32.class);
    variablesByWeight.put(key, v);
    variables.add(new ImportedVariable(v, w));
    return v;
  }

  static Operand<TFloat32> single(KerasLayer l, List<Operand<TFloat32>> in) {
    if (in.size() != 1) {
      throw new TfjsModelException("Layer '" + l.name() + "' (" + l.className() + ") takes one input, not " + in.size()
          + ".");
    }
    return in.get(0);
  }

  private static Operand<TFloat32> conv2d(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    if (!"channels_last".equals(l.stringConfig("data_format", "channels_last"))) {
      throw new TfjsModelException("Conv2D layer '" + l.name() + "' is channels_first; only channels_last is supported.");
    }
    if (l.intConfig("groups", 1) != 1) {
      throw new TfjsModelException("Conv2D layer '" + l.name() + "' is grouped; grouped convolutions are not supported.");
    }
    int[] strides = l.pairConfig("strides", 1);
    int[] dilation = l.pairConfig("dilation_rate", 1);
    String padding = l.stringConfig("padding", "valid").toUpperCase(java.util.Locale.ROOT);
    if (!padding.equals("SAME") && !padding.equals("VALID")) {
      throw new TfjsModelException("Conv2D layer '" + l.name() + "' uses padding '" + padding.toLowerCase(
          java.util.Locale.ROOT) + "'; only same and valid are supported.");
    }
    Operand<TFloat32> y = s.nn.conv2d(single(l, in), g.variable(s, l, "kernel"),
        List.of(1L, (long) strides[0], (long) strides[1], 1L), padding,
        org.tensorflow.op.nn.Conv2d.dilations(List.of(1L, (long) dilation[0], (long) dilation[1], 1L)));
    if (!l.config().has("use_bias") || l.config().get("use_bias").getAsBoolean()) {
      y = s.nn.biasAdd(y, g.variable(s, l, "bias"));
    }
    return activation(s, l, l.stringConfig("activation", "linear"), y);
  }

  static Operand<TFloat32> activation(Ops s, KerasLayer l, String name, Operand<TFloat32> x) {
    return switch (name) {
      case "linear" -> x;
      case "relu" -> s.nn.relu(x);
      case "sigmoid" -> s.math.sigmoid(x);
      case "tanh" -> s.math.tanh(x);
      default -> throw new TfjsModelException("Layer '" + l.name() + "' uses activation '" + name
          + "', which srtune cannot rebuild (linear, relu, sigmoid, tanh are supported).");
    };
  }

  private static Operand<TFloat32> concatenate(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    int axis = l.intConfig("axis", -1);
    return s.concat(in, s.constant(axis < 0 ? 4 + axis : axis));
  }

  private static Operand<TFloat32> multiply(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    Operand<TFloat32> y = in.get(0);
    for (int i = 1; i < in.size(); i++) {
      y = s.math.mul(y, in.get(i));
    }
    return y;
  }

  private static Operand<TFloat32> upSampling2d(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    String interpolation = l.stringConfig("interpolation", "nearest");
    if (!interpolation.equals("nearest") && !interpolation.equals("bilinear")) {
      throw new TfjsModelException("UpSampling2D layer '" + l.name() + "' interpolates '" + interpolation
          + "'; only nearest and bilinear are supported.");
    }
    int[] size = l.pairConfig("size", 2);
    Operand<TFloat32> x = single(l, in);
    Operand<TInt32> hw = s.slice(s.shape(x), s.constant(new int[] {1}), s.constant(new int[] {2}));
    if (interpolation.equals("bilinear")) {
      // TF2 Keras resizes with tf.image.resize: half-pixel centres.
      return s.image.resizeBilinear(x, s.math.mul(hw, s.constant(size)),
          org.tensorflow.op.image.ResizeBilinear.halfPixelCenters(true));
    }
    // Keras/TF.js nearest upsampling repeats each pixel: legacy ResizeNearestNeighbor without half-pixel centres.
    return s.image.resizeNearestNeighbor(x, s.math.mul(hw, s.constant(size)),
        ResizeNearestNeighbor.alignCorners(false), ResizeNearestNeighbor.halfPixelCenters(false));
  }
}
