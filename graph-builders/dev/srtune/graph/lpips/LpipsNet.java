package dev.srtune.graph.lpips;

import java.util.List;
import java.util.Locale;

/**
 * The three backbones of the official {@code lpips} package, as torchvision builds their {@code features}
 * module, with the layers LPIPS taps. {@link #ALEX} is the package's default.
 */
public enum LpipsNet {
  ALEX(List.of(
      new Layer.Conv(0, 3, 64, 11, 4, 2), Layer.RELU, Layer.TAP, Layer.Pool.floor(3, 2),
      new Layer.Conv(3, 64, 192, 5, 1, 2), Layer.RELU, Layer.TAP, Layer.Pool.floor(3, 2),
      new Layer.Conv(6, 192, 384, 3, 1, 1), Layer.RELU, Layer.TAP,
      new Layer.Conv(8, 384, 256, 3, 1, 1), Layer.RELU, Layer.TAP,
      new Layer.Conv(10, 256, 256, 3, 1, 1), Layer.RELU, Layer.TAP)),
  VGG(List.of(
      new Layer.Conv(0, 3, 64, 3, 1, 1), Layer.RELU, new Layer.Conv(2, 64, 64, 3, 1, 1), Layer.RELU, Layer.TAP,
      Layer.Pool.floor(2, 2),
      new Layer.Conv(5, 64, 128, 3, 1, 1), Layer.RELU, new Layer.Conv(7, 128, 128, 3, 1, 1), Layer.RELU, Layer.TAP,
      Layer.Pool.floor(2, 2),
      new Layer.Conv(10, 128, 256, 3, 1, 1), Layer.RELU, new Layer.Conv(12, 256, 256, 3, 1, 1), Layer.RELU,
      new Layer.Conv(14, 256, 256, 3, 1, 1), Layer.RELU, Layer.TAP,
      Layer.Pool.floor(2, 2),
      new Layer.Conv(17, 256, 512, 3, 1, 1), Layer.RELU, new Layer.Conv(19, 512, 512, 3, 1, 1), Layer.RELU,
      new Layer.Conv(21, 512, 512, 3, 1, 1), Layer.RELU, Layer.TAP,
      Layer.Pool.floor(2, 2),
      new Layer.Conv(24, 512, 512, 3, 1, 1), Layer.RELU, new Layer.Conv(26, 512, 512, 3, 1, 1), Layer.RELU,
      new Layer.Conv(28, 512, 512, 3, 1, 1), Layer.RELU, Layer.TAP)),
  /** SqueezeNet 1.1: stride-2 first conv without padding, ceil-mode max pools, fire modules. */
  SQUEEZE(List.of(
      new Layer.Conv(0, 3, 64, 3, 2, 0), Layer.RELU, Layer.TAP, Layer.Pool.ceil(3, 2),
      new Layer.Fire(3, 64, 16, 64, 64), new Layer.Fire(4, 128, 16, 64, 64), Layer.TAP, Layer.Pool.ceil(3, 2),
      new Layer.Fire(6, 128, 32, 128, 128), new Layer.Fire(7, 256, 32, 128, 128), Layer.TAP, Layer.Pool.ceil(3, 2),
      new Layer.Fire(9, 256, 48, 192, 192), Layer.TAP,
      new Layer.Fire(10, 384, 48, 192, 192), Layer.TAP,
      new Layer.Fire(11, 384, 64, 256, 256), Layer.TAP,
      new Layer.Fire(12, 512, 64, 256, 256), Layer.TAP));

  private final List<Layer> layers;

  LpipsNet(List<Layer> layers) {
    this.layers = layers;
  }

  /** The name the {@code lpips} package and its weight files use: alex, vgg, squeeze. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LpipsNet fromId(String id) {
    for (LpipsNet n : values()) {
      if (n.id().equals(id)) {
        return n;
      }
    }
    throw new IllegalArgumentException("unknown LPIPS network '" + id + "'; use alex, vgg or squeeze");
  }

  public List<Layer> layers() {
    return layers;
  }

  /** Channels at each tap, in order (the sizes of the linear heads lin0, lin1, ...). */
  public int[] tapChannels() {
    int[] out = new int[(int) layers.stream().filter(l -> l == Layer.TAP).count()];
    int channels = 3;
    int k = 0;
    for (Layer l : layers) {
      if (l instanceof Layer.Conv c) {
        channels = c.out();
      } else if (l instanceof Layer.Fire f) {
        channels = f.expand1x1() + f.expand3x3();
      } else if (l == Layer.TAP) {
        out[k++] = channels;
      }
    }
    return out;
  }

  /**
   * Height (or width) of the last tap for an input of {@code n} pixels, or 0 when some layer would have no
   * output (the input is too small for this backbone).
   */
  public int lastTapSize(int n) {
    int size = n;
    for (Layer l : layers) {
      if (l instanceof Layer.Conv c) {
        size = size + 2 * c.padding() < c.kernel() ? 0 : (size + 2 * c.padding() - c.kernel()) / c.stride() + 1;
      } else if (l instanceof Layer.Pool p) {
        int span = size - p.kernel();
        size = span < 0 ? 0 : (p.ceilMode() ? (span + p.stride() - 1) / p.stride() : span / p.stride()) + 1;
      }
      if (size <= 0) {
        return 0;
      }
    }
    return size;
  }

  /** The smallest height and width this backbone accepts. */
  public int minInputSize() {
    int n = 1;
    while (lastTapSize(n) == 0) {
      n++;
    }
    return n;
  }

  /** One step of a backbone's {@code features} module (indices are torchvision's). */
  public sealed interface Layer {
    Marker RELU = Marker.RELU;
    /** LPIPS reads the features here. */
    Marker TAP = Marker.TAP;

    enum Marker implements Layer { RELU, TAP }

    /** {@code features.<index>}: Conv2d(in, out, kernel, stride, padding) with bias. */
    record Conv(int index, int in, int out, int kernel, int stride, int padding) implements Layer {}

    /** MaxPool2d(kernel, stride) without padding, rounding the output size down or (ceil_mode) up. */
    record Pool(int kernel, int stride, boolean ceilMode) implements Layer {
      static Pool floor(int k, int s) {
        return new Pool(k, s, false);
      }

      static Pool ceil(int k, int s) {
        return new Pool(k, s, true);
      }
    }

    /** SqueezeNet's {@code features.<index>}: squeeze 1×1 + ReLU, then [expand 1×1, expand 3×3 (pad 1)] + ReLU. */
    record Fire(int index, int in, int squeeze, int expand1x1, int expand3x3) implements Layer {}
  }
}
