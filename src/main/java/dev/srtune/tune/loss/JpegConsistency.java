package dev.srtune.tune.loss;

import dev.srtune.graph.degradation.JpegCompression;
import dev.srtune.graph.degradation.JpegModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.op.Ops;

/**
 * The data fidelity for a JPEG LR: how far A f(y) lies from the images the file could have come from (the
 * quantisation constraint set), {@link JpegCompression#distanceToFile}. Unlike the plain term it is zero for any
 * A f(y) whose coefficients fall in y's quantisation bins, so the blocking the rounding made is not fitted; unlike
 * A = JPEG ∘ D ∘ B with a straight-through rounding, its gradient is continuous.
 *
 * @param jpeg how the LR file was compressed
 */
public record JpegConsistency(JpegModel jpeg) implements LossTerm {

  @Override
  public Built build(Ops tf, Inputs in) {
    var v = tf.withName("value").identity(JpegCompression.distanceToFile(tf, in.predictedLr(), in.y(), jpeg,
        in.lrMargin()));
    return () -> v;
  }

  @Override
  public boolean dataFidelity() {
    return true;
  }

  @Override
  public int windowAlignment() {
    return Math.max(jpeg.mcuHeight(), jpeg.mcuWidth());
  }

  @Override
  public String spec() {
    return "jpeg_consistency:" + jpeg.spec();
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("term", "jpeg_consistency");
    m.put("jpeg", jpeg.spec());
    m.put("definition", "mean over the planes (Y, Cb, Cr at the file's subsampling) and their pixels of the squared "
        + "distance from A f(y) to y's quantisation bins: per DCT coefficient Q * max(0, |c/Q - round(c_y/Q)| - 1/2), "
        + "on the [0,1] scale, blocks touching the loss margin left out");
    return m;
  }
}
