package dev.srtune.graph.blind;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The blur B with a kernel that is a graph operand (a variable being estimated or refined): the same correlation as
 * {@link dev.srtune.graph.degradation.Blur} — out[i,j] = Σ k[a,b]·x[i+a−c, j+b−c], c = ⌊(K−1)/2⌋, borders mirrored
 * ('ABC|CBA') — as one depthwise convolution of every channel with the K×K kernel, differentiable in x and in k.
 */
public final class KernelBlur {
  private KernelBlur() {}

  /**
   * Blurs {@code x} [1,H,W,C] with {@code kernel} [K,K].
   *
   * @param channels C, the number of channels of x
   * @param size K, the kernel side
   */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int size,
      int channels) {
    Ops scope = tf.withSubScope("kernel_blur");
    int before = (size - 1) / 2;
    int after = size - 1 - before;
    Operand<TFloat32> padded = scope.mirrorPad(x,
        scope.constant(new int[][] {{0, 0}, {before, after}, {before, after}, {0, 0}}), "SYMMETRIC");
    Operand<TFloat32> filter = scope.tile(scope.reshape(kernel, scope.constant(new int[] {size, size, 1, 1})),
        scope.constant(new int[] {1, 1, channels, 1}));
    return scope.nn.depthwiseConv2dNative(padded, filter, java.util.List.of(1L, 1L, 1L, 1L), "VALID");
  }

}
