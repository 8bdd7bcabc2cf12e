package dev.srtune.graph.tfimport;

import dev.srtune.graph.degradation.BicubicUpsampler;
import dev.srtune.graph.degradation.Boundary;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What sits between srtune's {@code lr → sr} RGB [0,1] contract and an imported network's own conventions: the
 * channels it sees (RGB, or the Y of full-range BT.601 YCbCr with Cb and Cr bicubic-upscaled around it, as OpenCV's
 * {@code dnn_superres} runs FSRCNN and LapSRN), its value range (1 or 255), and whether its output is a residual over
 * the bicubic upscaling of its input. Recorded in {@code srtune.json} so a reader knows what the network itself does.
 *
 * @param range the network's pixel range: 1 for [0,1], 255 for [0,255]
 */
public record NetworkAdapters(Channels channels, float range, boolean residual) {
  /** The colour planes the network works on. */
  public enum Channels { RGB, Y }

  public NetworkAdapters {
    if (!(range > 0)) {
      throw new IllegalArgumentException("range must be positive");
    }
  }

  /** The network takes and returns RGB on [0,1] and its output is the image itself. */
  public static NetworkAdapters none() {
    return new NetworkAdapters(Channels.RGB, 1f, false);
  }

  /** Channels of the network's input and output: 1 for Y, 3 for RGB. */
  public int networkChannels() {
    return channels == Channels.Y ? 1 : 3;
  }

  /** lr, RGB on [0,1] → what the network takes. */
  public Operand<TFloat32> toNetwork(Ops tf, Operand<TFloat32> lr) {
    Operand<TFloat32> x = channels == Channels.Y ? yPlane(tf, YCbCr.fromRgb(tf, lr)) : lr;
    return range == 1f ? x : tf.math.mul(x, tf.constant(range));
  }

  /** The network's output → sr, RGB on [0,1]; {@code lr} gives the colour planes and the residual's base. */
  public Operand<TFloat32> fromNetwork(Ops tf, Operand<TFloat32> lr, Operand<TFloat32> out, int scale) {
    Operand<TFloat32> y = range == 1f ? out : tf.math.div(out, tf.constant(range));
    if (channels == Channels.RGB && !residual) {
      return y;
    }
    // Bicubic of lr in the colour space the network sees: its residual base, and (Y nets) the Cb/Cr planes.
    Operand<TFloat32> base = new BicubicUpsampler(scale, Boundary.REPLICATE)
        .apply(tf, channels == Channels.Y ? YCbCr.fromRgb(tf, lr) : lr);
    if (channels == Channels.RGB) {
      return tf.math.add(y, base);
    }
    if (residual) {
      y = tf.math.add(y, yPlane(tf, base));
    }
    Operand<TFloat32> chroma = tf.slice(base, tf.constant(new int[] {0, 0, 0, 1}), tf.constant(new int[] {-1, -1, -1, 2}));
    return YCbCr.toRgb(tf, tf.concat(java.util.List.of(y, chroma), tf.constant(3)));
  }

  private static Operand<TFloat32> yPlane(Ops tf, Operand<TFloat32> ycc) {
    return tf.slice(ycc, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, -1, -1, 1}));
  }

  /** Entries for {@code srtune.json}. */
  public Map<String, Object> metadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("network_channels", channels == Channels.Y ? "y (full-range BT.601, Cb/Cr bicubic)" : "rgb");
    m.put("value_range", range);
    m.put("residual_over_bicubic", residual);
    return m;
  }
}
