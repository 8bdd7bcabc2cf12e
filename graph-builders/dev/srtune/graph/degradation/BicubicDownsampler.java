package dev.srtune.graph.degradation;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MATLAB {@code imresize(x, 1/s, 'bicubic')} with antialiasing for an integer factor s: Keys cubic (a = -0.5)
 * stretched by s, weights normalised, height pass first, then width. For an integer factor every output pixel
 * uses the same taps, so each pass is a border extension followed by a strided depthwise convolution.
 *
 * <p>Output size is floor(H/s) x floor(W/s); with a modcropped input that equals MATLAB's ceil(H/s).
 */
public final class BicubicDownsampler extends PlanePassDownsampler {
  private final int scale;
  private final Boundary boundary;
  private final double[] taps;

  public BicubicDownsampler(int scale, Boundary boundary) {
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be >= 1, got " + scale);
    }
    this.scale = scale;
    this.boundary = boundary;
    this.taps = taps(scale);
  }

  /** MATLAB's default for the classic benchmarks: clamped borders. */
  public static BicubicDownsampler matlab(int scale) {
    return new BicubicDownsampler(scale, Boundary.REPLICATE);
  }

  /** Keys cubic convolution kernel with a = -0.5 (MATLAB's 'bicubic'). */
  public static double cubic(double x) {
    double ax = Math.abs(x);
    double ax2 = ax * ax;
    double ax3 = ax2 * ax;
    if (ax <= 1) {
      return 1.5 * ax3 - 2.5 * ax2 + 1;
    }
    if (ax <= 2) {
      return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
    }
    return 0;
  }

  /**
   * The normalised 1-D taps of the antialiased kernel for factor s. Output o (0-based) is centred on input
   * coordinate o*s + (s-1)/2; the taps cover every input sample closer than 2s, starting at o*s - padding.
   */
  static double[] taps(int s) {
    int length = 4 * s - (s % 2);
    int pad = (length - s) / 2;
    double centre = (s - 1) / 2.0;
    double[] w = new double[length];
    double sum = 0;
    for (int j = 0; j < length; j++) {
      double distance = centre - (j - pad);
      w[j] = cubic(distance / s) / s;
      sum += w[j];
    }
    for (int j = 0; j < length; j++) {
      w[j] /= sum;
    }
    return w;
  }

  /** Samples added on each side before the strided convolution. */
  int padding() {
    return (taps.length - scale) / 2;
  }

  @Override
  String scopeName() {
    return "bicubic_down_x" + scale;
  }

  /** MATLAB resizes height first when both scales are equal (visible with uint8 rounding between passes). */
  @Override
  public List<Integer> passOrder() {
    return List.of(1, 2);
  }

  @Override
  Operand<TFloat32> planePass(Ops tf, Operand<TFloat32> planes, int axis) {
    int p = padding();
    return stridedTaps(tf, Padding.pad(tf, planes, axis, p, p, boundary), taps, axis);
  }

  @Override
  public int scale() {
    return scale;
  }

  public Boundary boundary() {
    return boundary;
  }

  @Override
  public int minInputSize() {
    return boundary == Boundary.SYMMETRIC ? Math.max(scale, padding()) : scale;
  }

  @Override
  public String spec() {
    return boundary == Boundary.REPLICATE ? "bicubic" : "bicubic-sym";
  }

  @Override
  public String toString() {
    return spec() + " x" + scale;
  }
}
