package dev.srtune.graph.degradation;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A = D∘B: the blur B, then the downsampler D. Its spec is {@code <blur spec>+<downsampler spec>}, e.g.
 * {@code gaussian:15:1.6+bicubic}, which {@link Degradations#parse} turns back into the same operator.
 */
public final class BlurredDegradation implements Degradation {
  /** Joins the blur and downsampler parts of a composed spec. */
  public static final String JOIN = "+";
  private final Blur blur;
  private final Degradation downsampler;

  public BlurredDegradation(Blur blur, Degradation downsampler) {
    this.blur = blur;
    this.downsampler = downsampler;
  }

  public Blur blur() {
    return blur;
  }

  public Degradation downsampler() {
    return downsampler;
  }

  @Override
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> hr) {
    return downsampler.apply(tf, blur.apply(tf, hr));
  }

  @Override
  public int scale() {
    return downsampler.scale();
  }

  @Override
  public String spec() {
    return blur.spec() + JOIN + downsampler.spec();
  }

  @Override
  public int minInputSize() {
    return Math.max(downsampler.minInputSize(), blur.radius() + 1);
  }

  @Override
  public String toString() {
    return spec() + " x" + scale();
  }
}
