package dev.srtune.graph.torch;

import java.util.Arrays;

/**
 * One tensor of a state dict, in C order, its values widened or narrowed to float32 (integer tensors such as
 * BatchNorm's {@code num_batches_tracked} are converted too).
 *
 * @param dtype the storage type it was saved with, e.g. {@code FloatStorage}
 * @param shape PyTorch's shape (a conv weight is O, I, H, W)
 */
public record TorchTensor(String dtype, int[] shape, float[] data) {

  public TorchTensor {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public boolean hasShape(int... expected) {
    return Arrays.equals(shape, expected);
  }

  /** A conv weight O×I×H×W as TensorFlow's H×W×I×O filter (the values, C order). */
  public float[] hwioFromOihw() {
    if (shape.length != 4) {
      throw new IllegalArgumentException("a conv weight has 4 dimensions (O, I, H, W), got " + Arrays.toString(shape));
    }
    int o = shape[0];
    int in = shape[1];
    int h = shape[2];
    int w = shape[3];
    float[] out = new float[data.length];
    for (int oo = 0; oo < o; oo++) {
      for (int ii = 0; ii < in; ii++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            out[((y * w + x) * in + ii) * o + oo] = data[((oo * in + ii) * h + y) * w + x];
          }
        }
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TorchTensor t && t.dtype.equals(dtype) && Arrays.equals(t.shape, shape)
        && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "TorchTensor[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
