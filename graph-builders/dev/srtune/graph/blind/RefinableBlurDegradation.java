package dev.srtune.graph.blind;

import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.graph.degradation.BlurredDegradation;
import dev.srtune.graph.degradation.Degradation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A = D∘B with B's kernel a {@link KernelVariable} starting at {@code initial}: the operator of joint kernel
 * refinement, where the kernel is optimised together with the network. {@link #apply} creates the variable in the
 * graph it builds into (once per graph; {@link #kernel()} is the last one built), so whoever updates it (a loss
 * part) finds it there. Its spec is the initial operator's: the refined kernel is a result, recorded apart.
 */
public final class RefinableBlurDegradation implements Degradation {
  private final BlurKernel initial;
  private final Degradation downsampler;
  private KernelVariable built;

  /** A free-form kernel (K² softmax logits) starting at {@code initial}. */
  public RefinableBlurDegradation(BlurKernel initial, Degradation downsampler) {
    if (initial.height() != initial.width() || initial.height() % 2 == 0) {
      throw new IllegalArgumentException("a refined kernel must be square with an odd side, got " + initial.height()
          + "x" + initial.width());
    }
    this.initial = initial;
    this.downsampler = downsampler;
  }

  public BlurKernel initial() {
    return initial;
  }

  public Degradation downsampler() {
    return downsampler;
  }

  @Override
  public synchronized Operand<TFloat32> apply(Ops tf, Operand<TFloat32> hr) {
    built = KernelVariable.create(tf, "refined_kernel", initial);
    return downsampler.apply(tf, KernelBlur.apply(tf, hr, built.kernel(), initial.height(), 3));
  }

  /** The kernel variable the last {@link #apply} built; throws before any. */
  public synchronized KernelVariable kernel() {
    if (built == null) {
      throw new IllegalStateException("the operator has not been built into a graph yet");
    }
    return built;
  }

  @Override
  public int scale() {
    return downsampler.scale();
  }

  @Override
  public String spec() {
    return initial.spec() + BlurredDegradation.JOIN + downsampler.spec();
  }

  @Override
  public int minInputSize() {
    return Math.max(downsampler.minInputSize(), initial.height() / 2 + 1);
  }

  @Override
  public String toString() {
    return spec() + " (kernel refined) x" + scale();
  }
}
