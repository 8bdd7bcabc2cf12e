package dev.srtune.graph.tfjs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras layers that act per pixel or only on the borders: {@code BatchNormalization} in inference mode (its moving
 * statistics), {@code PReLU}, {@code ReLU} (with {@code max_value}) and {@code ZeroPadding2D}, as
 * {@code keras.layers} computes them.
 */
final class ElementwiseLayers {
  private ElementwiseLayers() {}

  /** Keras' inference batch norm: x·inv + (beta − mean·inv), inv = gamma / sqrt(var + epsilon). */
  static Operand<TFloat32> batchNormalization(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    JsonElement axis = l.config().get("axis");
    int a = axis == null ? -1 : axis.isJsonArray() ? single(axis.getAsJsonArray(), l) : axis.getAsInt();
    if (a != -1 && a != 3) {
      throw new TfjsModelException("BatchNormalization layer '" + l.name() + "' normalises axis " + a
          + "; only the channel axis of NHWC images (3 or -1) is supported.");
    }
    float epsilon = l.config().has("epsilon") ? l.config().get("epsilon").getAsFloat() : 1e-3f;
    Operand<TFloat32> inv = s.math.rsqrt(s.math.add(g.variable(s, l, "moving_variance"), s.constant(epsilon)));
    if (!l.config().has("scale") || l.config().get("scale").getAsBoolean()) {
      inv = s.math.mul(inv, g.variable(s, l, "gamma"));
    }
    Operand<TFloat32> shift = s.math.neg(s.math.mul(g.variable(s, l, "moving_mean"), inv));
    if (!l.config().has("center") || l.config().get("center").getAsBoolean()) {
      shift = s.math.add(shift, g.variable(s, l, "beta"));
    }
    return s.math.add(s.math.mul(LayersModelGraph.single(l, in), inv), shift);
  }

  /** Keras' PReLU: relu(x) − alpha·relu(−x), alpha shaped as the layer stored it (shared axes of size 1). */
  static Operand<TFloat32> prelu(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    Operand<TFloat32> x = LayersModelGraph.single(l, in);
    return s.math.sub(s.nn.relu(x), s.math.mul(g.variable(s, l, "alpha"), s.nn.relu(s.math.neg(x))));
  }

  static Operand<TFloat32> relu(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    Operand<TFloat32> x = LayersModelGraph.single(l, in);
    float slope = l.config().has("negative_slope") ? l.config().get("negative_slope").getAsFloat() : 0f;
    float threshold = l.config().has("threshold") ? l.config().get("threshold").getAsFloat() : 0f;
    if (slope != 0f || threshold != 0f) {
      throw new TfjsModelException("ReLU layer '" + l.name() + "' has a negative slope or threshold; srtune rebuilds "
          + "only the plain (optionally capped) ReLU.");
    }
    Operand<TFloat32> y = s.nn.relu(x);
    JsonElement max = l.config().get("max_value");
    return max == null || max.isJsonNull() ? y : s.math.minimum(y, s.constant(max.getAsFloat()));
  }

  /** padding: n, [h, w] or [[top, bottom], [left, right]]. */
  static Operand<TFloat32> zeroPadding2d(LayersModelGraph g, Ops s, KerasLayer l, List<Operand<TFloat32>> in) {
    JsonElement p = l.config().get("padding");
    int[] tblr;
    if (p == null || p.isJsonNull()) {
      tblr = new int[] {1, 1, 1, 1};
    } else if (p.isJsonPrimitive()) {
      int n = p.getAsInt();
      tblr = new int[] {n, n, n, n};
    } else {
      JsonArray a = p.getAsJsonArray();
      if (a.get(0).isJsonArray()) {
        tblr = new int[] {a.get(0).getAsJsonArray().get(0).getAsInt(), a.get(0).getAsJsonArray().get(1).getAsInt(),
            a.get(1).getAsJsonArray().get(0).getAsInt(), a.get(1).getAsJsonArray().get(1).getAsInt()};
      } else {
        tblr = new int[] {a.get(0).getAsInt(), a.get(0).getAsInt(), a.get(1).getAsInt(), a.get(1).getAsInt()};
      }
    }
    int[][] paddings = {{0, 0}, {tblr[0], tblr[1]}, {tblr[2], tblr[3]}, {0, 0}};
    return s.pad(LayersModelGraph.single(l, in), s.constant(paddings), s.constant(0f));
  }

  private static int single(JsonArray a, KerasLayer l) {
    if (a.size() != 1) {
      throw new TfjsModelException("BatchNormalization layer '" + l.name() + "' normalises several axes " + a
          + "; only the channel axis is supported.");
    }
    return a.get(0).getAsInt();
  }
}
