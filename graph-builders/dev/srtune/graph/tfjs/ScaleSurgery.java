package dev.srtune.graph.tfjs;

import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;
import dev.srtune.graph.tfjs.KerasLayer.TensorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adapts a network trained for one scale to another (the paper's Section IV-A, Figure 2), keeping every learned
 * weight. The network must enlarge in exactly one layer:
 * <ul>
 *   <li>{@code UpSampling2D} (the RDN models): its nearest-neighbour factor becomes the new scale; nothing
 *       learned depends on it, since the conv before it makes {@code 3·n²} channels whatever the factor.
 *   <li>{@code PixelShuffle<F>x} (the RRDN models) for a new scale f dividing F: with one shuffle stage there is
 *       no ×2 stage to drop, so the F×F sub-pixel grid is pooled to f×f: the pre-shuffle conv's output channels
 *       of each (F/f)×(F/f) block of sub-pixels are averaged (kernel and bias), giving exactly the box-filtered
 *       ×F feature map at ×f. A scale not dividing F (×3 from ×4) is impossible without an untrained layer.
 * </ul>
 */
public final class ScaleSurgery {
  private ScaleSurgery() {}

  /** The layers that enlarge the image and their factors. */
  public record ScaleLayer(KerasLayer layer, int factor) {}

  public static List<ScaleLayer> scaleLayers(LayersModel model) {
    List<ScaleLayer> out = new ArrayList<>();
    for (KerasLayer l : model.layers()) {
      if (l.className().equals("UpSampling2D")) {
        int[] size = l.pairConfig("size", 2);
        if (size[0] != size[1]) {
          throw new TfjsModelException("UpSampling2D layer '" + l.name() + "' enlarges by " + size[0] + "x" + size[1]
              + "; only square factors are supported.");
        }
        out.add(new ScaleLayer(l, size[0]));
      } else if (PixelShuffle.isPixelShuffle(l)) {
        out.add(new ScaleLayer(l, PixelShuffle.factor(l)));
      }
    }
    return out;
  }

  /** The scale the model was trained for: the product of its enlarging layers' factors. */
  public static int nativeScale(LayersModel model) {
    return scaleLayers(model).stream().mapToInt(ScaleLayer::factor).reduce(1, (a, b) -> a * b);
  }

  /** What {@link #toScale} did, in words for the model's metadata; empty at the native scale. */
  public record Result(LayersModel model, String description) {}

  /** {@code model} rebuilt to super-resolve by {@code scale}; a scale it cannot reach is a TfjsModelException. */
  public static Result toScale(LayersModel model, int scale) {
    int nativeScale = nativeScale(model);
    if (scale == nativeScale) {
      return new Result(model, "");
    }
    List<ScaleLayer> stages = scaleLayers(model);
    if (stages.size() != 1) {
      throw new TfjsModelException("Model '" + model.name() + "' enlarges in " + stages.size() + " layers; srtune "
          + "can change the scale only of networks that enlarge in one layer, so build it at x" + nativeScale + ".");
    }
    KerasLayer l = stages.get(0).layer();
    if (l.className().equals("UpSampling2D")) {
      JsonArray size = new JsonArray();
      size.add(scale);
      size.add(scale);
      return new Result(model.replacing(Map.of(l.name(), l.withConfig("size", size)), Map.of()),
          "nearest-neighbour upsampling layer '" + l.name() + "' changed from x" + nativeScale + " to x" + scale);
    }
    return poolPixelShuffle(model, l, nativeScale, scale);
  }

  private static Result poolPixelShuffle(LayersModel model, KerasLayer shuffle, int big, int small) {
    if (small < 2 || small > big || big % small != 0) {
      throw new TfjsModelException("A x" + small + " network cannot be made from the x" + big + " pixel-shuffle "
          + "layer '" + shuffle.name() + "' of model '" + model.name() + "' without an untrained layer (only scales "
          + "dividing " + big + " keep all learned weights); use an RDN model (nearest-neighbour upsampling) for x"
          + small + ".");
    }
    List<TensorRef> in = shuffle.inboundNodes().size() == 1 ? shuffle.inboundNodes().get(0) : List.of();
    KerasLayer conv = in.size() == 1 ? model.layer(in.get(0).layer()) : null;
    if (conv == null || !conv.className().equals("Conv2D") || consumers(model, conv.name()) != 1
        || !"linear".equals(conv.stringConfig("activation", "linear"))) {
      throw new TfjsModelException("Pixel-shuffle layer '" + shuffle.name() + "' does not follow a linear Conv2D "
          + "used only by it, so its sub-pixels cannot be pooled; build the model at x" + big + ".");
    }
    WeightTensor kernel = model.weights().get(conv.name() + "/kernel");
    WeightTensor bias = model.weights().get(conv.name() + "/bias");
    int filters = (int) kernel.shape()[3];
    int channels = filters / (big * big);
    if (channels * big * big != filters) {
      throw new TfjsModelException("Conv2D layer '" + conv.name() + "' makes " + filters + " channels, not a multiple "
          + "of " + big * big + ", so it cannot feed a x" + big + " pixel shuffle.");
    }
    int newFilters = channels * small * small;
    int[] map = pooledChannels(big, small, channels);
    long[] ks = kernel.shape().clone();
    ks[3] = newFilters;
    WeightTensor newKernel = new WeightTensor(kernel.name(), ks, poolLastAxis(kernel.values(), filters, map,
        newFilters));
    Map<String, WeightTensor> weights = new java.util.HashMap<>(Map.of(kernel.name(), newKernel));
    if (bias != null) {
      weights.put(bias.name(), new WeightTensor(bias.name(), new long[] {newFilters},
          poolLastAxis(bias.values(), filters, map, newFilters)));
    }
    Map<String, KerasLayer> layers = Map.of(
        conv.name(), conv.withConfig("filters", new JsonPrimitive(newFilters)),
        shuffle.name(), shuffle.withConfig("scale", new JsonPrimitive(small)));
    int r = big / small;
    return new Result(model.replacing(layers, weights), "pixel shuffle '" + shuffle.name() + "' changed from x" + big
        + " to x" + small + ": the output channels of '" + conv.name() + "' for each " + r + "x" + r
        + " block of sub-pixels averaged");
  }

  /**
   * For each old channel of a ×big depth_to_space input, the new channel it is averaged into at ×small. TF's
   * depth_to_space puts channel {@code (i·F + j)·C + c} at sub-pixel (i, j); sub-pixel (i, j) of ×big lies in
   * sub-pixel (i/r, j/r) of ×small, r = big/small.
   */
  static int[] pooledChannels(int big, int small, int channels) {
    int r = big / small;
    int[] map = new int[big * big * channels];
    for (int i = 0; i < big; i++) {
      for (int j = 0; j < big; j++) {
        for (int c = 0; c < channels; c++) {
          map[(i * big + j) * channels + c] = ((i / r) * small + j / r) * channels + c;
        }
      }
    }
    return map;
  }

  /** Averages groups of the last axis: every row of {@code oldWidth} values becomes {@code newWidth} means. */
  private static float[] poolLastAxis(float[] values, int oldWidth, int[] map, int newWidth) {
    int rows = values.length / oldWidth;
    int perGroup = oldWidth / newWidth;
    float[] out = new float[rows * newWidth];
    for (int row = 0; row < rows; row++) {
      double[] sum = new double[newWidth];
      for (int k = 0; k < oldWidth; k++) {
        sum[map[k]] += values[row * oldWidth + k];
      }
      for (int k = 0; k < newWidth; k++) {
        out[row * newWidth + k] = (float) (sum[k] / perGroup);
      }
    }
    return out;
  }

  private static int consumers(LayersModel model, String layerName) {
    int n = 0;
    for (KerasLayer l : model.layers()) {
      for (List<TensorRef> node : l.inboundNodes()) {
        for (TensorRef r : node) {
          if (r.layer().equals(layerName)) {
            n++;
          }
        }
      }
    }
    return n;
  }
}
