package dev.srtune.graph.tfimport;

import dev.srtune.graph.degradation.BicubicUpsampler;
import dev.srtune.graph.degradation.Boundary;
import dev.srtune.graph.degradation.Padding;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A pre-upsampling network (SRCNN, VDSR, DRRN, MZSR, the paper's VSRMSE): it maps the bicubic enlargement of the LR
 * to an image of the same size, or one smaller by a fixed {@code margin} where its convolutions are VALID (SRCNN 9-1-5:
 * 12 pixels). srtune puts its own bicubic enlargement (MATLAB's kernel, {@link BicubicUpsampler}) in front and pads
 * the enlarged image edge-replicated by the margin, so the SavedModel keeps {@code lr [1,h,w,3] → sr [1,s·h,s·w,3]}.
 * The scale is not in such a graph, and only the enlargement depends on it: the same weights serve every scale.
 *
 * @param margin how many pixels the network's output is smaller than its input, in each of height and width
 */
record PreUpsampling(int margin) {
  /**
   * The int32 constant the exported graph's enlargements read their factor from: changing its value (and nothing
   * else) makes the same SavedModel run at another scale.
   */
  static final String SCALE_NODE = dev.srtune.graph.savedmodel.SrSignature.SCALE_NODE;

  /** Side of the grey image the margin is measured on (where the input has no fixed size). */
  static final int PROBE = 48;

  /**
   * Runs the original once on a grey image and returns the pre-upsampling it shows, or null where its output is at
   * an integer scale of 2 or more of its input (or it does not run so).
   *
   * @param channels the channels the network's input takes
   */
  static PreUpsampling measure(Session session, NodeIndex index, Endpoints.Chosen io, TensorRef output,
      int channels) {
    if (io.bicubicInput() != null || io.inputNchw() || io.outputNchw()) {
      return null;
    }
    long[] hwc = Endpoints.fixedHwc(index.node(io.input()));
    long h = hwc[0] > 0 ? hwc[0] : PROBE;
    long w = hwc[1] > 0 ? hwc[1] : PROBE + 8;
    try (TFloat32 grey = TFloat32.tensorOf(Shape.of(1, h, w, channels), d -> d.scalars().forEach(x -> x.setFloat(0.5f)));
        var r = session.runner().feed(io.input(), grey).fetch(output.node(), output.index()).run()) {
      Shape out = r.get(0).shape();
      if (out.numDimensions() != 4) {
        return null;
      }
      long mh = h - out.get(1);
      long mw = w - out.get(2);
      return mh == mw && mh >= 0 && 2 * mh < Math.min(h, w) ? new PreUpsampling((int) mh) : null;
    } catch (TensorFlowException | IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code lr} (RGB [0,1]) enlarged by {@code scale} with MATLAB's bicubic: what the network's input adapter takes. */
  static Operand<TFloat32> enlarge(Ops tf, Operand<TFloat32> lr, int scale) {
    return new BicubicUpsampler(scale, Boundary.REPLICATE).apply(tf, lr);
  }

  /** As {@link #enlarge}, by the factor {@code scale} holds (see {@link #SCALE_NODE}). */
  static Operand<TFloat32> enlarge(Ops tf, Operand<TFloat32> lr, Operand<org.tensorflow.types.TInt32> scale) {
    return dev.srtune.graph.degradation.AnyScaleBicubicUpsampler.apply(tf, lr, scale);
  }

  /** The network's input (after the adapters) padded edge-replicated so its output has the enlarged size. */
  Operand<TFloat32> pad(Ops tf, Operand<TFloat32> x) {
    int before = margin / 2;
    int after = margin - before;
    return Padding.pad(tf, Padding.pad(tf, x, 1, before, after, Boundary.REPLICATE), 2, before, after,
        Boundary.REPLICATE);
  }

  /** What {@code srtune.json} records. */
  Map<String, Object> metadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enlargement", "bicubic (MATLAB imresize kernel, srtune's BicubicUpsampler), in front of the network");
    m.put("margin", margin);
    m.put("padding", margin == 0 ? "none" : "edge-replicated, " + (margin / 2) + " before and " + (margin - margin / 2)
        + " after, in height and width");
    m.put("scale_node", SCALE_NODE);
    m.put("any_scale", true);
    return m;
  }

  String describe() {
    return "a pre-upsampling network (its output has its input's size" + (margin == 0 ? "" : " less a margin of "
        + margin + " pixels, padded back edge-replicated") + "): srtune's bicubic enlargement is put in front";
  }
}
