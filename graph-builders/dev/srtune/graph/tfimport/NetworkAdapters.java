package dev.srtune.graph.tfimport;

import dev.srtune.graph.degradation.BicubicUpsampler;
import dev.srtune.graph.degradation.Boundary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What sits between srtune's {@code lr → sr} RGB [0,1] contract and an imported network's own conventions: the
 * channels it sees (RGB, BGR, or the Y of full-range BT.601 YCbCr with Cb and Cr bicubic-upscaled around it, as
 * OpenCV's {@code dnn_superres} runs FSRCNN and LapSRN), its value range (1 or 255), a mean it subtracts from its
 * input and adds to its output (EDSR's DIV2K RGB mean), and whether its output is a residual over the bicubic
 * upscaling of its input. Recorded in {@code srtune.json} so a reader knows what the network itself does.
 *
 * @param channels the planes the network works on, or null where the importer chooses them from the graph
 * @param range the network's pixel range: 1 for [0,1], 255 for [0,255]
 * @param mean what the network's input has subtracted, in its range, in R,G,B order (one value for Y); null for none
 * @param signedOutput the network's output spans [−range, range] (a final tanh: [−1, 1]) where its input spans
 *     [0, range]; mapped back by (out + range) / 2
 */
public record NetworkAdapters(Channels channels, float range, float[] mean, boolean residual, boolean signedOutput) {
  /** The colour planes the network works on. */
  public enum Channels { RGB, BGR, Y }

  /** EDSR's DIV2K RGB mean on [0,1] (its {@code MeanShift} with rgb_range 1). */
  public static final float[] DIV2K_MEAN = {0.4488f, 0.4371f, 0.4040f};

  public NetworkAdapters {
    if (!(range > 0)) {
      throw new IllegalArgumentException("range must be positive");
    }
    if (mean != null) {
      mean = mean.clone();
    }
  }

  public NetworkAdapters(Channels channels, float range, boolean residual) {
    this(channels, range, null, residual);
  }

  public NetworkAdapters(Channels channels, float range, float[] mean, boolean residual) {
    this(channels, range, mean, residual, false);
  }

  /** The same, with the output in [−range, range] (a final tanh). */
  public NetworkAdapters withSignedOutput() {
    return new NetworkAdapters(channels, range, mean, residual, true);
  }

  /** The network takes and returns RGB on [0,1] and its output is the image itself. */
  public static NetworkAdapters none() {
    return new NetworkAdapters(Channels.RGB, 1f, null, false);
  }

  /** As {@link #none()}, but the channels are chosen from the graph (Y for a one-channel input). */
  public static NetworkAdapters found() {
    return new NetworkAdapters(null, 1f, null, false);
  }

  public NetworkAdapters withChannels(Channels c) {
    return new NetworkAdapters(c, range, mean, residual, signedOutput);
  }

  /** Channels of the network's input and output: 1 for Y, 3 for RGB and BGR. */
  public int networkChannels() {
    return channels == Channels.Y ? 1 : 3;
  }

  /** lr (or its bicubic upscaling), RGB on [0,1] → what the network takes. */
  public Operand<TFloat32> toNetwork(Ops tf, Operand<TFloat32> lr) {
    Operand<TFloat32> x = switch (channels) {
      case Y -> yPlane(tf, YCbCr.fromRgb(tf, lr));
      case BGR -> swapRedBlue(tf, lr);
      case RGB -> lr;
    };
    if (range != 1f) {
      x = tf.math.mul(x, tf.constant(range));
    }
    return mean == null ? x : tf.math.sub(x, tf.constant(networkMean()));
  }

  /** The network's output → sr, RGB on [0,1]; {@code lr} gives the colour planes and the residual's base. */
  public Operand<TFloat32> fromNetwork(Ops tf, Operand<TFloat32> lr, Operand<TFloat32> out, int scale) {
    return fromNetwork(tf, lr, out, x -> new BicubicUpsampler(scale, Boundary.REPLICATE).apply(tf, x));
  }

  /** As above, {@code enlarge} making the bicubic upscaling of an LR-sized image (in the colour space given). */
  public Operand<TFloat32> fromNetwork(Ops tf, Operand<TFloat32> lr, Operand<TFloat32> out,
      java.util.function.UnaryOperator<Operand<TFloat32>> enlarge) {
    // A residual over the bicubic of the mean-shifted input carries no mean: the shifts cancel.
    if (signedOutput) {
      out = tf.math.mul(tf.math.add(out, tf.constant(range)), tf.constant(0.5f));
    }
    Operand<TFloat32> y = mean == null || residual ? out : tf.math.add(out, tf.constant(networkMean()));
    y = range == 1f ? y : tf.math.div(y, tf.constant(range));
    if (channels == Channels.BGR) {
      y = swapRedBlue(tf, y);
    }
    if (channels != Channels.Y && !residual) {
      return y;
    }
    // Bicubic of lr in the colour space the network sees: its residual base, and (Y nets) the Cb/Cr planes.
    Operand<TFloat32> base = enlarge.apply(channels == Channels.Y ? YCbCr.fromRgb(tf, lr) : lr);
    if (channels != Channels.Y) {
      return tf.math.add(y, base);
    }
    if (residual) {
      y = tf.math.add(y, yPlane(tf, base));
    }
    Operand<TFloat32> chroma = tf.slice(base, tf.constant(new int[] {0, 0, 0, 1}), tf.constant(new int[] {-1, -1, -1, 2}));
    return YCbCr.toRgb(tf, tf.concat(List.of(y, chroma), tf.constant(3)));
  }

  /** The mean in the order of the network's channels. */
  private float[] networkMean() {
    if (channels == Channels.Y) {
      return mean.length == 1 ? mean : new float[] {(float) (0.299 * mean[0] + 0.587 * mean[1] + 0.114 * mean[2])};
    }
    return channels == Channels.BGR ? new float[] {mean[2], mean[1], mean[0]} : mean;
  }

  private static Operand<TFloat32> yPlane(Ops tf, Operand<TFloat32> ycc) {
    return tf.slice(ycc, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, -1, -1, 1}));
  }

  /** RGB ↔ BGR as a 1×1 convolution (its gradient is the plain Conv2D one). */
  private static Operand<TFloat32> swapRedBlue(Ops tf, Operand<TFloat32> x) {
    float[] k = {0, 0, 1, 0, 1, 0, 1, 0, 0};
    return tf.nn.conv2d(x, tf.constant(Shape.of(1, 1, 3, 3), DataBuffers.of(k)), List.of(1L, 1L, 1L, 1L), "VALID");
  }

  /** Entries for {@code srtune.json}. */
  public Map<String, Object> metadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("network_channels", switch (channels) {
      case Y -> "y (full-range BT.601, Cb/Cr bicubic)";
      case BGR -> "bgr";
      case RGB -> "rgb";
    });
    m.put("value_range", range);
    m.put("mean_subtracted", mean == null ? null : mean.clone());
    m.put("residual_over_bicubic", residual);
    if (signedOutput) {
      m.put("output_range", new float[] {-range, range});
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkAdapters a && a.channels == channels && a.range == range && a.residual == residual
        && a.signedOutput == signedOutput && java.util.Arrays.equals(a.mean, mean);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(channels, range, residual, signedOutput, java.util.Arrays.hashCode(mean));
  }

  @Override
  public String toString() {
    return "NetworkAdapters[channels=" + channels + ", range=" + range + ", mean=" + java.util.Arrays.toString(mean)
        + ", residual=" + residual + ", signedOutput=" + signedOutput + "]";
  }
}
