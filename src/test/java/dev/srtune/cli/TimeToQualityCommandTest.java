package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.eval.TimeToQuality;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code srtune bench --time-to-quality} on a tiny model, and the equal-quality comparison on known curves. */
class TimeToQualityCommandTest {
  @TempDir Path tmp;

  @Test
  void comparesAtTheReferenceHrPsnr() {
    TimeToQuality.Run paper = new TimeToQuality.Run("paper", List.of(new TimeToQuality.Point(0, 0, 30, 25),
        new TimeToQuality.Point(100, 50, 35, 27), new TimeToQuality.Point(200, 100, 36, 28),
        new TimeToQuality.Point(300, 150, 37, 28.5)), 300, "max_iterations", 150, 28.5);
    TimeToQuality.Run fast = new TimeToQuality.Run("fast", List.of(new TimeToQuality.Point(0, 0, 30, 25),
        new TimeToQuality.Point(10, 4, 36, 27.9), new TimeToQuality.Point(20, 8, 38, 28.2),
        new TimeToQuality.Point(30, 12, 39, 28.6)), 30, "lr_psnr_plateau", 12, 28.6);
    // The paper's HR-PSNR at iteration 250 is the one measured at 200 (28 dB), reached at 100 s; fast at 8 s.
    TimeToQuality.Comparison c = TimeToQuality.compare(paper, fast, 250);
    assertEquals(28, c.targetHrPsnr());
    assertEquals(200, c.referenceIteration());
    assertEquals(100, c.referenceSeconds());
    assertEquals(8, c.otherSeconds());
    assertEquals(12.5, c.speedUp(), 1e-12);
    assertTrue(Double.isNaN(paper.secondsToReach(29)));
  }

  @Test
  void runsBothSchedulesAndWritesCsvAndPlot() throws Exception {
    Path model = TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
    Random r = new Random(4);
    float[] d = new float[40 * 44 * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) Math.min(1, Math.max(0, 0.5 + 0.3 * Math.sin(i / 23.0) + 0.05 * r.nextGaussian()));
    }
    Path hr = tmp.resolve("hr.png");
    ImageFiles.writePng(new RgbImage(40, 44, d), hr);
    Path out = tmp.resolve("ttq");
    EvalCommandTest.Run run = EvalCommandTest.run("bench", "--time-to-quality", "--model", model.toString(), "--hr",
        hr.toString(), "--scale", "2", "--max-iters", "30", "--reference-iteration", "20", "--hr-every", "5", "--out",
        out.toString());
    assertEquals(0, run.code(), run.err());
    List<String> csv = Files.readAllLines(out.resolve("time-to-quality.csv"));
    assertEquals("schedule,iteration,seconds,lr_psnr,hr_psnr", csv.get(0));
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("paper,20,")), csv.toString());
    assertTrue(csv.stream().anyMatch(l -> l.startsWith("fast,")), csv.toString());
    assertTrue(Files.size(out.resolve("time-to-quality.png")) > 1000);
    for (String s : new String[] {"paper", "fast"}) {
      assertTrue(Files.isRegularFile(out.resolve(s).resolve("report.json")), s);
    }
    assertTrue(run.out().contains("paper reaches") && run.out().contains("at the end: paper"), run.out());
    String fastReport = Files.readString(out.resolve("fast").resolve("report.json"));
    assertTrue(fastReport.contains("\"schedule\": \"fast\"") && fastReport.contains("\"optimizer\": \"adam"),
        fastReport);
  }
}
