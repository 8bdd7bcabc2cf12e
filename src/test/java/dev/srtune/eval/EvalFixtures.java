package dev.srtune.eval;

import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.StopRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** A tiny x2 model and a dataset of three small HR images, written by the tests. */
final class EvalFixtures {
  static final int SCALE = 2;
  static final List<String> NAMES = List.of("alpha", "beta", "gamma");
  private static final int[][] SIZES = {{40, 48}, {36, 36}, {45, 41}}; // gamma is not a multiple of 2: modcrop

  private EvalFixtures() {}

  static Path model(Path dir) throws Exception {
    return TinyModels.save(dir, SCALE, (tf, x) -> TinyModels.smallConv(tf, x, SCALE, 5));
  }

  /** Smooth gradients plus seeded texture, saved as 8-bit PNGs. */
  static Path dataset(Path dir) throws Exception {
    for (int k = 0; k < NAMES.size(); k++) {
      int h = SIZES[k][0];
      int w = SIZES[k][1];
      Random r = new Random(k);
      RgbImage img = RgbImage.zeros(h, w);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int c = 0; c < 3; c++) {
            double v = 0.5 + 0.3 * Math.sin((x + 2 * c) / (3.0 + k)) * Math.cos(y / 4.0) + 0.1 * r.nextGaussian();
            img.set(y, x, c, (float) Math.max(0, Math.min(1, v)));
          }
        }
      }
      ImageFiles.writePng(img, dir.resolve(NAMES.get(k) + ".png"));
    }
    return dir;
  }

  static FineTuneOptions options(int iterations) {
    return FineTuneOptions.defaults(Degradations.downsampler("bicubic", SCALE)).withMaxIterations(iterations)
        .withStopRule(StopRule.none());
  }

  static EvalSettings settings(Path model, Path dataset, Path out, int iterations, Integer limit) {
    return new EvalSettings(model, dataset, SCALE, options(iterations), List.of(), limit, 2, "Tiny", out);
  }
}
