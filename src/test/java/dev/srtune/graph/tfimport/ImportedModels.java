package dev.srtune.graph.tfimport;

import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.testing.TfGraphFiles;
import dev.srtune.testing.TinyModels;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.FineTuner;
import dev.srtune.tune.IterationListener;
import dev.srtune.tune.StopRule;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Runs and fine-tunes SavedModels the importers wrote, through their serving signature as every user does. */
final class ImportedModels {
  private ImportedModels() {}

  /** The SavedModel's {@code sr} for {@code lr}, through its {@code serving_default} signature. */
  static float[] superResolve(Path model, RgbImage lr) {
    try (SrModel m = SrModel.load(model); TFloat32 in = TfGraphFiles.tensor(lr);
        Result r = m.bundle().call(Map.<String, Tensor>of("lr", in))) {
      TFloat32 out = (TFloat32) r.get("sr").orElseThrow();
      float[] d = new float[(int) out.shape().size()];
      out.copyTo(DataBuffers.of(d, false, false));
      return d;
    }
  }

  static double maxAbsDifference(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("sizes differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** A short fine-tuning run (2×2 average pooling as A, no stop rule) on {@code lr}. */
  static FineTuneResult fineTune(Path model, RgbImage lr, int iterations, double learningRate) {
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withLearningRate(learningRate, 0.9)
        .withMaxIterations(iterations).withStopRule(StopRule.none());
    try (SrModel m = SrModel.load(model); FineTuner t = FineTuner.attach(m.bundle(), o)) {
      return t.run(lr, IterationListener.none());
    }
  }
}
