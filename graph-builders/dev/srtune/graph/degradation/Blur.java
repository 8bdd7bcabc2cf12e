package dev.srtune.graph.degradation;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import java.util.List;

/**
 * The blur B: same-size 2-D correlation out[i,j] = Σ k[a,b]·x[i+a−ci, j+b−cj] of each colour channel with a
 * {@link BlurKernel}, borders mirrored ('ABC|CBA', MATLAB {@code imfilter(..., 'symmetric')}) as the blur references
 * do. The kernel centre is MATLAB's: ci = ⌊(height−1)/2⌋, cj = ⌊(width−1)/2⌋.
 */
public final class Blur {
  private final BlurKernel kernel;

  public Blur(BlurKernel kernel) {
    this.kernel = kernel;
  }

  public BlurKernel kernel() {
    return kernel;
  }

  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    Ops scope = tf.withSubScope("blur");
    int kh = kernel.height();
    int kw = kernel.width();
    int top = (kh - 1) / 2;
    int left = (kw - 1) / 2;
    Operand<TFloat32> padded = Padding.pad(scope, x, 1, top, kh - 1 - top, Boundary.SYMMETRIC);
    padded = Padding.pad(scope, padded, 2, left, kw - 1 - left, Boundary.SYMMETRIC);
    // Depthwise filter [kh, kw, 3, 1]: the same kernel for each channel; stride 1 is fine on the CPU.
    float[] f = new float[kh * kw * 3];
    for (int i = 0; i < kh; i++) {
      for (int j = 0; j < kw; j++) {
        for (int c = 0; c < 3; c++) {
          f[(i * kw + j) * 3 + c] = (float) kernel.at(i, j);
        }
      }
    }
    Operand<TFloat32> filter = scope.constant(Shape.of(kh, kw, 3, 1), DataBuffers.of(f, true, false));
    return scope.nn.depthwiseConv2dNative(padded, filter, List.of(1L, 1L, 1L, 1L), "VALID");
  }

  /** The largest border extension; MirrorPad needs the image to be at least this large. */
  public int radius() {
    return Math.max(kernel.height(), kernel.width()) / 2;
  }

  public String spec() {
    return kernel.spec();
  }
}
