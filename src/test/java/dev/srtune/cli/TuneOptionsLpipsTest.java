package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.srtune.UserInputException;
import dev.srtune.graph.lpips.LpipsNet;
import dev.srtune.metrics.LpipsWeightFiles;
import dev.srtune.testing.Shared;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.LrLpips;
import dev.srtune.tune.PlateauStopRule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --stop lr-lpips} builds the paper's LPIPS stop rule and the LR-LPIPS metric it reads. */
class TuneOptionsLpipsTest {
  @TempDir Path tmp;

  private static TuneOptions parse(String... args) {
    TuneCommand cmd = new TuneCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.tune;
  }

  @Test
  @Tag("integration")
  void lrLpipsStopWithWeightsAddsTheMetric() {
    Path weights = Shared.path("models/lpips");
    TuneOptions t = parse("--model", "m", "--input", "x.png", "--scale", "2", "--stop", "lr-lpips", "--delta", "3e-5",
        "--lpips", "squeeze", "--lpips-weights", weights.toString());
    FineTuneOptions o = t.toOptions(2, 100);
    PlateauStopRule rule = (PlateauStopRule) o.stopRule();
    assertEquals("lr_lpips", rule.metric());
    assertEquals(3e-5, rule.delta());
    assertEquals(false, rule.higherIsBetter());
    assertEquals(1, o.extraMetrics().size());
    assertEquals(LpipsNet.SQUEEZE, ((LrLpips) o.extraMetrics().get(0)).weights().net());
  }

  @Test
  void lrLpipsStopWithoutWeightsSaysWhatToDo() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assumeTrue(LpipsWeightFiles.findAny(empty).isEmpty(), "LPIPS weights are in the mirror or cache: skipped");
    TuneOptions t = parse("--model", "m", "--input", "x.png", "--scale", "2", "--stop", "lr-lpips",
        "--lpips-weights", empty.toString());
    var e = assertThrows(UserInputException.class, () -> t.toOptions(2, 100));
    assertTrue(e.getMessage().contains("--lpips-weights"), e.getMessage());
  }

  @Test
  void lrPsnrStopWithoutWeightsStillWorks() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    TuneOptions t = parse("--model", "m", "--input", "x.png", "--scale", "2", "--lpips-weights", empty.toString());
    FineTuneOptions o = t.toOptions(2, 100);
    assertEquals("lr_psnr", ((PlateauStopRule) o.stopRule()).metric());
    // Unless $SRTUNE_MODEL_MIRROR or the cache holds LPIPS weights, nothing is added.
    assertEquals(LpipsWeightFiles.findAny(empty).isPresent() ? 1 : 0, o.extraMetrics().size());
  }
}
