package dev.srtune.image;

import java.util.Arrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * An RGB image as float samples, height x width x 3 (HWC, row-major), values nominally in [0,1].
 * Values are not clipped: a network or a bicubic kernel may leave [0,1] slightly.
 */
public record RgbImage(int height, int width, float[] data) {

  public RgbImage {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
    }
    if (data.length != height * width * 3) {
      throw new IllegalArgumentException(
          "expected " + height * width * 3 + " samples for " + height + "x" + width + "x3, got " + data.length);
    }
  }

  public static RgbImage zeros(int height, int width) {
    return new RgbImage(height, width, new float[height * width * 3]);
  }

  public float get(int y, int x, int c) {
    return data[(y * width + x) * 3 + c];
  }

  public void set(int y, int x, int c, float v) {
    data[(y * width + x) * 3 + c] = v;
  }

  /** Top-left crop to a multiple of {@code s} in both dimensions (the benchmarks' "modcrop"). */
  public RgbImage modcrop(int s) {
    return crop(0, 0, height - height % s, width - width % s);
  }

  public RgbImage crop(int top, int left, int h, int w) {
    if (top < 0 || left < 0 || h <= 0 || w <= 0 || top + h > height || left + w > width) {
      throw new IllegalArgumentException(
          "crop " + h + "x" + w + "+" + top + "+" + left + " outside " + height + "x" + width);
    }
    float[] out = new float[h * w * 3];
    for (int y = 0; y < h; y++) {
      System.arraycopy(data, ((top + y) * width + left) * 3, out, y * w * 3, w * 3);
    }
    return new RgbImage(h, w, out);
  }

  /** Each sample rounded to the nearest of the 256 levels an 8-bit file can hold, clipped to [0,1]. */
  public RgbImage quantized8() {
    float[] out = new float[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = to8bit(data[i]) / 255f;
    }
    return new RgbImage(height, width, out);
  }

  public RgbImage clipped() {
    float[] out = new float[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = Math.min(1f, Math.max(0f, data[i]));
    }
    return new RgbImage(height, width, out);
  }

  /** MATLAB's im2uint8: clip then round half up. */
  public static int to8bit(float v) {
    double x = Math.floor(255.0 * v + 0.5);
    return (int) Math.max(0, Math.min(255, x));
  }

  /** A new [1,h,w,3] float tensor holding this image; the caller closes it. */
  public TFloat32 toTensor() {
    return TFloat32.tensorOf(Shape.of(1, height, width, 3), DataBuffers.of(data, true, false));
  }

  /** Reads a [1,h,w,3] (or [h,w,3]) float tensor into an image. */
  public static RgbImage fromTensor(TFloat32 t) {
    Shape s = t.shape();
    int rank = s.numDimensions();
    if (!(rank == 4 && s.get(0) == 1 && s.get(3) == 3) && !(rank == 3 && s.get(2) == 3)) {
      throw new IllegalArgumentException("expected an image tensor [1,h,w,3], got " + s);
    }
    int h = (int) s.get(rank - 3);
    int w = (int) s.get(rank - 2);
    float[] out = new float[h * w * 3];
    t.asRawTensor().data().asFloats().read(out);
    return new RgbImage(h, w, out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage r && r.height == height && r.width == width && Arrays.equals(r.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "RgbImage[" + height + "x" + width + "]";
  }
}
