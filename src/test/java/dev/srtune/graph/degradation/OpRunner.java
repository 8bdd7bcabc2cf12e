package dev.srtune.graph.degradation;

import dev.srtune.image.RgbImage;
import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Runs a one-image graph function once, for the operator tests. */
final class OpRunner {
  private OpRunner() {}

  static RgbImage run(RgbImage in, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> f) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Operand<TFloat32> y = f.apply(tf, x);
      try (TFloat32 t = in.toTensor(); Result r = s.runner().feed(x, t).fetch(y).run()) {
        return RgbImage.fromTensor((TFloat32) r.get(0));
      }
    }
  }

  static RgbImage run(RgbImage in, Degradation a) {
    return run(in, a::apply);
  }
}
