package dev.srtune.graph.degradation;

import dev.srtune.degrade.LrSynthesis;
import dev.srtune.image.RgbImage;
import java.util.function.BiFunction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Runs a one-image graph function once, for the operator tests (the same runner LR synthesis uses). */
final class OpRunner {
  private OpRunner() {}

  static RgbImage run(RgbImage in, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> f) {
    return LrSynthesis.run(in, f);
  }

  static RgbImage run(RgbImage in, Degradation a) {
    return run(in, a::apply);
  }
}
