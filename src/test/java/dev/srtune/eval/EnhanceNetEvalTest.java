package dev.srtune.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.cli.Main;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.testing.Shared;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.StopRule;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness on the real EnhanceNet, rebuilt for x2, on Set5 butterfly: the bicubic baseline equals the published
 * value, and a few iterations raise the LR-PSNR and the HR-PSNR (the network's x2 artifacts start to go).
 */
@Tag("integration")
@Tag("slow")
class EnhanceNetEvalTest {
  @TempDir Path tmp;

  @Test
  void butterflyX2() throws Exception {
    Path model = tmp.resolve("enet-x2");
    assertEquals(0, Main.run("build", "enhancenet", "--checkpoint", Shared.enhanceNetCheckpoint().toString(),
        "--scale", "2", "--out", model.toString()));
    FineTuneOptions o = FineTuneOptions.defaults(Degradations.downsampler("bicubic", 2)).withMaxIterations(8)
        .withStopRule(StopRule.none());
    EvalSettings s = new EvalSettings(model, Shared.path("datasets/Set5"), 2, o, List.of("butterfly"), null, 4,
        "Set5", tmp.resolve("out"));
    ImageResult r = new Evaluation(s, null).run(EvalListener.none()).results().get(0);
    // Published MATLAB bicubic x2 on Set5 butterfly, PSNR on Y with 2 pixels shaved (e.g. SRCNN's tables): 27.43 dB.
    assertEquals(27.43, r.bicubic().psnrY(), 0.05);
    assertEquals(8, r.iterations());
    assertTrue(r.lrPsnrEnd() > r.lrPsnrStart() + 0.1, r.lrPsnrStart() + " -> " + r.lrPsnrEnd());
    assertTrue(r.end().psnrY() > r.start().psnrY(), r.start().psnrY() + " -> " + r.end().psnrY());
  }
}
