package dev.srtune.graph.tfjs;

import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The Keras convolutions besides {@code Conv2D}: {@code DepthwiseConv2D}, {@code SeparableConv2D} (depthwise, then a
 * 1×1 pointwise convolution) and {@code Conv2DTranspose}, channels_last, with their bias and activation, as
 * {@code keras.layers} computes them.
 */
final class ConvolutionLayers {
  private ConvolutionLayers() {}

  static Operand<TFloat32> depthwiseConv2d(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    Operand<TFloat32> y = depthwise(g, s, l, LayersModelGraph.single(l, in));
    return biasAndActivation(g, s, l, y);
  }

  static Operand<TFloat32> separableConv2d(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    Operand<TFloat32> y = depthwise(g, s, l, LayersModelGraph.single(l, in));
    y = s.nn.conv2d(y, g.variable(s, l, "pointwise_kernel"), List.of(1L, 1L, 1L, 1L), "VALID");
    return biasAndActivation(g, s, l, y);
  }

  static Operand<TFloat32> conv2dTranspose(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    checkChannelsLast(l);
    int[] strides = l.pairConfig("strides", 1);
    int[] kernel = l.pairConfig("kernel_size", 1);
    int[] dilation = l.pairConfig("dilation_rate", 1);
    if (dilation[0] != 1 || dilation[1] != 1 || l.config().has("output_padding")
        && !l.config().get("output_padding").isJsonNull()) {
      throw new TfjsModelException("Conv2DTranspose layer '" + l.name() + "' uses dilation or output_padding, which "
          + "srtune cannot rebuild.");
    }
    String padding = padding(l);
    Operand<TFloat32> x = LayersModelGraph.single(l, in);
    var kernelVar = g.variable(s, l, "kernel"); // [kh, kw, filters, in]
    Operand<TInt32> shape = s.shape(x);
    Operand<TInt32> hw = s.slice(shape, s.constant(new int[] {1}), s.constant(new int[] {2}));
    // Keras' deconv_output_length: same → in·stride, valid → in·stride + max(kernel − stride, 0).
    Operand<TInt32> outHw = s.math.mul(hw, s.constant(strides));
    if (padding.equals("VALID")) {
      outHw = s.math.add(outHw, s.constant(new int[] {Math.max(kernel[0] - strides[0], 0),
          Math.max(kernel[1] - strides[1], 0)}));
    }
    int filters = l.intConfig("filters", 0);
    Operand<TInt32> outShape = s.concat(List.of(s.slice(shape, s.constant(new int[] {0}), s.constant(new int[] {1})),
        outHw, s.constant(new int[] {filters})), s.constant(0));
    Operand<TFloat32> y = s.nn.conv2dBackpropInput(outShape, kernelVar, x,
        List.of(1L, (long) strides[0], (long) strides[1], 1L), padding);
    return biasAndActivation(g, s, l, y);
  }

  private static Operand<TFloat32> depthwise(LayersModelGraph g, Ops s, KerasLayer l, Operand<TFloat32> x) {
    checkChannelsLast(l);
    int[] strides = l.pairConfig("strides", 1);
    int[] dilation = l.pairConfig("dilation_rate", 1);
    return s.nn.depthwiseConv2dNative(x, g.variable(s, l, "depthwise_kernel"),
        List.of(1L, (long) strides[0], (long) strides[1], 1L), padding(l),
        DepthwiseConv2dNative.dilations(List.of(1L, (long) dilation[0], (long) dilation[1], 1L)));
  }

  private static Operand<TFloat32> biasAndActivation(LayersModelGraph g, Ops s, KerasLayer l, Operand<TFloat32> y) {
    if (!l.config().has("use_bias") || l.config().get("use_bias").getAsBoolean()) {
      y = s.nn.biasAdd(y, g.variable(s, l, "bias"));
    }
    return LayersModelGraph.activation(s, l, l.stringConfig("activation", "linear"), y);
  }

  private static void checkChannelsLast(KerasLayer l) {
    if (!"channels_last".equals(l.stringConfig("data_format", "channels_last"))) {
      throw new TfjsModelException(l.className() + " layer '" + l.name() + "' is channels_first; only channels_last "
          + "is supported.");
    }
  }

  private static String padding(KerasLayer l) {
    String padding = l.stringConfig("padding", "valid").toUpperCase(Locale.ROOT);
    if (!padding.equals("SAME") && !padding.equals("VALID")) {
      throw new TfjsModelException(l.className() + " layer '" + l.name() + "' uses padding '"
          + padding.toLowerCase(Locale.ROOT) + "'; only same and valid are supported.");
    }
    return padding;
  }
}
