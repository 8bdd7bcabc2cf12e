package dev.srtune.graph.tfjs;

import java.util.Arrays;
import org.tensorflow.ndarray.Shape;

/** One named weight of a TF.js model, dequantised to float32 (values row-major in {@code shape}). */
public record WeightTensor(String name, long[] shape, float[] values) {
  public WeightTensor {
    long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (n != values.length) {
      throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n + " values, not "
          + values.length);
    }
  }

  public Shape tfShape() {
    return Shape.of(shape);
  }
}
