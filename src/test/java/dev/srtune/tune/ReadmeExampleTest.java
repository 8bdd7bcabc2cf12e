package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

/** The README's library example, on a tiny model: the caller's bundle stays open and holds the tuned weights. */
class ReadmeExampleTest {
  @TempDir Path tmp;

  @Test
  void libraryExampleWorksOnACallersBundle() throws Exception {
    Path dir = TinyModels.save(tmp.resolve("tiny"), 2, (tf, lr) -> TinyModels.smallConv(tf, lr, 2, 11));
    RgbImage lowRes = FineTunerTest.image(12, 10, 3);
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve")) {
      FineTuneOptions options = FineTuneOptions.defaults(TinyModels.averagePool(2)).withMaxIterations(20);
      RgbImage sr;
      try (FineTuner tuner = FineTuner.attach(bundle, options)) {
        FineTuneResult r = tuner.run(lowRes, IterationListener.none());
        sr = r.result();
        assertTrue(r.finalRecord().lrPsnr() > r.startRecord().lrPsnr());
        tuner.export(tmp.resolve("tuned"), Map.of("scale", 2));
      }
      // Still open, and its own signature now computes the fine-tuned output.
      try (TFloat32 x = lowRes.toTensor();
          TFloat32 y = (TFloat32) bundle.session().runner().feed("lr", x).fetch("sr").run().get(0)) {
        assertEquals(0.0, dev.srtune.testing.Arrays2.maxAbsDiff(sr.data(), RgbImage.fromTensor(y).data()), 1e-6);
      }
      // A second tuner on the same graph gets its own scope.
      try (FineTuner again = FineTuner.attach(bundle, options.withMaxIterations(1))) {
        assertEquals(2, again.variables().size());
      }
    }
  }
}
