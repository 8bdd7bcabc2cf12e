package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code srtune zssr}, {@code srtune dip} and {@code eval --method zssr|dip} on small Set5 crops. */
@Tag("integration")
class BaselineCommandsTest {
  @TempDir static Path tmp;
  static Path hr;
  static Path lr;
  static Path dataset;

  @BeforeAll
  static void setUp() throws Exception {
    RgbImage bird = ImageFiles.read(Shared.path("datasets/Set5/bird.png"));
    RgbImage crop = bird.crop(100, 100, 64, 64);
    hr = tmp.resolve("hr.png");
    ImageFiles.writePng(crop, hr);
    lr = tmp.resolve("lr.png");
    ImageFiles.writePng(LrSynthesis.asDegradeWrites(crop, Degradations.downsampler("bicubic", 2)), lr);
    dataset = Files.createDirectories(tmp.resolve("data"));
    ImageFiles.writePng(bird.crop(40, 40, 40, 36), dataset.resolve("one.png"));
    ImageFiles.writePng(bird.crop(150, 120, 34, 40), dataset.resolve("two.png"));
  }

  static JsonObject report(Path dir) throws Exception {
    return JsonParser.parseString(Files.readString(dir.resolve("report.json"))).getAsJsonObject();
  }

  @Test
  void zssrWritesWhatTuneWrites() throws Exception {
    Path out = tmp.resolve("zssr");
    EvalCommandTest.Run r = EvalCommandTest.run("zssr", "--input", lr.toString(), "--hr", hr.toString(), "--scale",
        "2", "--max-iters", "20", "--crop-size", "32", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("HR-PSNR") && r.out().contains("bicubic"), r.out());
    for (String f : new String[] {"sr.png", "sr_start.png", "report.json"}) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    JsonObject rep = report(out);
    assertEquals("zssr", rep.get("method").getAsString());
    assertEquals(20, rep.get("iterations").getAsInt());
    assertEquals("bicubic", rep.getAsJsonObject("operator").get("spec").getAsString());
    assertTrue(rep.has("hr_psnr") && rep.has("hr_psnr_bicubic") && rep.has("seconds_per_iteration"));
    assertEquals(64, ImageFiles.read(out.resolve("sr.png")).height());
  }

  @Test
  void dipWritesWhatTuneWritesAndStopsOnItsBudget() throws Exception {
    Path out = tmp.resolve("dip");
    EvalCommandTest.Run r = EvalCommandTest.run("dip", "--input", lr.toString(), "--hr", hr.toString(), "--scale",
        "2", "--width", "4", "--scales", "2", "--max-iters", "100000", "--time-budget", "2", "--blur",
        "gaussian:5:0.8", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonObject rep = report(out);
    assertEquals("dip", rep.get("method").getAsString());
    assertEquals("time_budget", rep.get("stop_reason").getAsString());
    assertEquals("gaussian:5:0.8+bicubic", rep.getAsJsonObject("operator").get("spec").getAsString());
    assertTrue(rep.get("iterations").getAsInt() > 0);
  }

  @Test
  void badInputIsOneSentenceAndWritesNothing() {
    Path out = tmp.resolve("bad");
    EvalCommandTest.Run small = EvalCommandTest.run("zssr", "--input", lr.toString(), "--scale", "5", "--out",
        out.toString());
    assertEquals(2, small.code());
    assertTrue(small.err().contains("needs at least 40x40"), small.err());
    EvalCommandTest.Run scale = EvalCommandTest.run("dip", "--input", lr.toString(), "--scale", "9", "--out",
        out.toString());
    assertEquals(2, scale.code());
    assertTrue(scale.err().contains("Scale 9 is not supported"), scale.err());
    EvalCommandTest.Run one = EvalCommandTest.run("zssr", "--input", lr.toString(), "--scale", "1", "--out",
        out.toString());
    assertEquals(2, one.code());
    assertTrue(one.err().contains("Scale 1 is not supported"), one.err());
    for (EvalCommandTest.Run r : new EvalCommandTest.Run[] {small, scale, one}) {
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    assertFalse(Files.exists(out));
  }

  @Test
  void evalRunsEachMethodOverAFolder() throws Exception {
    for (String method : new String[] {"zssr", "dip"}) {
      Path out = tmp.resolve("eval-" + method);
      EvalCommandTest.Run r = EvalCommandTest.run("eval", "--method", method, "--dataset", dataset.toString(),
          "--scale", "2", "--max-iters", "3", "--width", "4", "--scales", "1", "--out", out.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("2 of 2 images finished (2 run now)"), r.out());
      assertEquals(3, Files.readAllLines(out.resolve("results.csv")).size());
      assertTrue(Files.readString(out.resolve("results.md")).contains("**Method**: " + method),
          Files.readString(out.resolve("results.md")));
      assertEquals(method, report(out.resolve("images/one")).get("method").getAsString());
    }
    EvalCommandTest.Run unknown = EvalCommandTest.run("eval", "--method", "srcnn", "--dataset", dataset.toString(),
        "--scale", "2", "--out", tmp.resolve("e1").toString());
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("use finetune, zssr or dip"), unknown.err());
    EvalCommandTest.Run noModel = EvalCommandTest.run("eval", "--dataset", dataset.toString(), "--scale", "2",
        "--out", tmp.resolve("e2").toString());
    assertEquals(2, noModel.code());
    assertTrue(noModel.err().contains("needs --model"), noModel.err());
  }
}
