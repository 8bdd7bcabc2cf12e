package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.BicubicDownsampler;
import dev.srtune.graph.enhancenet.EnhanceNetImporter;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: the process's resident memory stays flat over 3,000 fine-tuning iterations (no tensor or native
 * buffer leaks per iteration). EnhanceNet ×4 at ×2 on a Set5 crop with the fast schedule's crops and measurements,
 * no stop; RSS read from /proc/self/status every 250 iterations. Minutes on 2 cores, so tagged slow:
 * {@code mvn test -Dsurefire.excludedGroups= -Dtest=MemoryFlatTest}.
 */
@Tag("slow")
@Tag("integration")
class MemoryFlatTest {
  static long rssKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS");
  }

  @Test
  void rssIsFlatOver3000Iterations() throws Exception {
    Path model = Path.of("target", "memory-flat", "enhancenet-x2");
    if (!Files.exists(model.resolve("saved_model.pb"))) {
      EnhanceNetImporter.build(Shared.enhanceNetCheckpoint(), 2, model);
    }
    RgbImage hr = ImageFiles.read(Shared.path("datasets/Set5/bird.png")).crop(0, 0, 160, 160);
    BicubicDownsampler a = BicubicDownsampler.matlab(2);
    RgbImage lr = LrSynthesis.degrade8bit(hr, a);
    FineTuneOptions o = Schedules.fast(a).withMaxIterations(3000).withStopRule(StopRule.none())
        .withSampler(Sampler.parse("crops:32x2"), 10);
    List<long[]> samples = new ArrayList<>();
    try (SrModel m = SrModel.load(model); FineTuner t = FineTuner.attach(m.bundle(), o)) {
      t.run(lr, new IterationListener() {
        @Override
        public void onIteration(IterationRecord r, int max) {
          if (r.iteration() % 250 == 0) {
            try {
              samples.add(new long[] {r.iteration(), rssKb()});
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        }
      });
    }
    StringBuilder sb = new StringBuilder("RSS over 3000 iterations (iteration: MB):");
    samples.forEach(s -> sb.append(String.format(Locale.ROOT, " %d: %.0f", s[0], s[1] / 1024.0)));
    System.out.println(sb);
    // After warm-up (allocator pools, oneDNN primitive cache) the RSS may wobble but must not climb.
    long at500 = samples.stream().filter(s -> s[0] == 500).findFirst().orElseThrow()[1];
    long last = samples.get(samples.size() - 1)[1];
    assertTrue(last - at500 < 50 * 1024, sb.toString());
  }
}
