package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;

/**
 * Two fine-tuning runs from the same SavedModel give bit-identical curves. (They did not while ApplyMomentum could
 * write a ref variable before backpropagation had finished reading it; an evaluation resumed after a crash must
 * reproduce the images it recomputes.)
 */
class ReproducibleRunTest {
  @TempDir Path tmp;

  @Test
  void twoRunsFromTheSameModelAreIdentical() throws Exception {
    Path m = TinyModels.save(tmp.resolve("m"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 5));
    Random r = new Random(1);
    float[] d = new float[20 * 24 * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    RgbImage y = new RgbImage(20, 24, d);
    FineTuneOptions o = FineTuneOptions.defaults(TinyModels.averagePool(2)).withMaxIterations(8)
        .withStopRule(StopRule.none());
    assertEquals(losses(m, y, o), losses(m, y, o));
  }

  private static List<Double> losses(Path model, RgbImage y, FineTuneOptions o) {
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve"); FineTuner t = FineTuner.attach(b, o)) {
      FineTuneResult res = t.run(y, IterationListener.none());
      List<Double> l = new java.util.ArrayList<>(res.curve().stream().map(IterationRecord::loss).toList());
      l.add(res.finalRecord().loss());
      return l;
    }
  }
}
