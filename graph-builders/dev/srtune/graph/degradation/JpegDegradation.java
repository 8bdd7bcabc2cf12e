package dev.srtune.graph.degradation;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A = JPEG ∘ A₀: the LR image as its JPEG file holds it, after the blur and downsampling of {@code inner}. Fitting
 * A f(y) to a JPEG y then asks f(y) to explain the file's coefficients, not its blocking.
 *
 * @param inner the image formation model before compression (D or D∘B)
 * @param jpeg how the LR image was compressed
 */
public record JpegDegradation(Degradation inner, JpegModel jpeg) implements Degradation {
  /** Joins the inner operator's spec and the JPEG's, e.g. {@code bicubic+jpeg:quality=70,4:2:0}. */
  public static final String JOIN = "+";

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> hr) {
    return JpegCompression.apply(tf, inner.apply(tf, hr), jpeg);
  }

  @Override
  public int scale() {
    return inner.scale();
  }

  @Override
  public String spec() {
    return inner.spec() + JOIN + jpeg.spec();
  }

  @Override
  public int minInputSize() {
    return inner.minInputSize();
  }

  /** LR windows must start on the block grid (multiples of the MCU) to see the blocks the image has. */
  @Override
  public int windowAlignment() {
    return Math.max(jpeg.mcuHeight(), jpeg.mcuWidth());
  }
}
