package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code srtune eval} and {@code tune --time-budget} from the command line, on a tiny model. */
class EvalCommandTest {
  @TempDir static Path tmp;
  static Path model;
  static Path dataset;

  @BeforeAll
  static void setUp() throws Exception {
    model = TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
    dataset = Files.createDirectories(tmp.resolve("data"));
    Random r = new Random(4);
    for (String name : new String[] {"one", "two"}) {
      float[] d = new float[32 * 36 * 3];
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) Math.min(1, Math.max(0, 0.5 + 0.25 * Math.sin(i / 17.0) + 0.1 * r.nextGaussian()));
      }
      ImageFiles.writePng(new RgbImage(32, 36, d), dataset.resolve(name + ".png"));
    }
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(Main.run(args), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void evalRunsInPiecesAndResumes() throws Exception {
    Path out = tmp.resolve("eval");
    String[] args = {"eval", "--model", model.toString(), "--dataset", dataset.toString(), "--scale", "2",
        "--max-iters", "4", "--stop", "none", "--hr-every", "2", "--out", out.toString()};
    Run first = run(concat(args, "--limit", "1"));
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("1 of 2 images finished"), first.out());
    assertTrue(first.out().contains("run the same command again"), first.out());
    assertTrue(first.err().contains("eval [1/2] one done"), first.err());
    assertTrue(Files.readString(out.resolve("results.md")).contains("INCOMPLETE"));

    Run second = run(args);
    assertEquals(0, second.code(), second.err());
    assertTrue(second.err().contains("eval [1/2] one already finished"), second.err());
    assertTrue(second.err().contains("eval [2/2] two done"), second.err());
    assertTrue(second.err().contains("ETA"), second.err());
    assertTrue(second.out().contains("2 of 2 images finished (1 fine-tuned now)"), second.out());
    assertFalse(Files.readString(out.resolve("results.md")).contains("INCOMPLETE"));
    assertEquals(3, Files.readAllLines(out.resolve("results.csv")).size());
  }

  /** The LR the harness fine-tunes on is the file {@code srtune degrade} writes. */
  @Test
  void evalMakesTheLrThatDegradeMakes() throws Exception {
    Path out = tmp.resolve("eval-degrade");
    Run e = run("eval", "--model", model.toString(), "--dataset", dataset.toString(), "--scale", "2", "--images",
        "two", "--max-iters", "0", "--out", out.toString());
    assertEquals(0, e.code(), e.err());
    Path lr = tmp.resolve("two-lr.png");
    Run d = run("degrade", "--input", dataset.resolve("two.png").toString(), "--scale", "2", "--out", lr.toString());
    assertEquals(0, d.code(), d.err());
    assertEquals(ImageFiles.read(lr), ImageFiles.read(out.resolve("images/two/lr.png")));
  }

  @Test
  void badInputIsOneSentence() {
    // Without --scale the model's own is used (issue 10); an unsupported one is one sentence.
    Run badScale = run("eval", "--model", model.toString(), "--dataset", dataset.toString(), "--scale", "9",
        "--out", tmp.resolve("x").toString());
    assertEquals(2, badScale.code());
    assertTrue(badScale.err().contains("Scale 9 is not supported"), badScale.err());
    Run unknown = run("eval", "--model", model.toString(), "--dataset", dataset.toString(), "--scale", "2",
        "--images", "three", "--out", tmp.resolve("y").toString());
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("'three'") && unknown.err().contains("one, two"), unknown.err());
    assertFalse(unknown.err().contains("\tat "));
    Run noData = run("eval", "--model", model.toString(), "--dataset", tmp.resolve("none").toString(), "--scale",
        "2", "--out", tmp.resolve("z").toString());
    assertEquals(2, noData.code());
    assertTrue(noData.err().contains("does not exist"), noData.err());
  }

  /**
   * {@code tune --time-budget} plans the run for the budget (not a cut): report.json says what the budget was, what
   * the probe measured and the iterations planned, and the run takes them.
   */
  @Test
  void tunePlansItsRunForItsTimeBudget() throws Exception {
    Path lr = tmp.resolve("tb-lr.png");
    ImageFiles.writePng(ImageFiles.read(dataset.resolve("one.png")).crop(0, 0, 16, 18), lr);
    Path out = tmp.resolve("tune-tb");
    Run r = run("tune", "--model", model.toString(), "--input", lr.toString(), "--scale", "2", "--max-iters",
        "1000000", "--stop", "none", "--lpips", "none", "--time-budget", "1.5", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("planned for 1.5 s") || r.out().contains("planned for 1.5 s"), r.err());
    JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    JsonObject hp = report.getAsJsonObject("hyper_parameters");
    JsonObject plan = hp.getAsJsonObject("plan");
    assertEquals(1.5, plan.get("budget_seconds").getAsDouble());
    assertTrue(plan.get("step_seconds").getAsDouble() > 0, plan.toString());
    int planned = plan.get("planned_iterations").getAsInt();
    assertTrue(planned > 0 && planned < 1000000, plan.toString());
    assertEquals(planned, hp.get("max_iterations").getAsInt());
    assertEquals("max_iterations", report.get("stop_reason").getAsString());
    assertEquals(planned, report.get("iterations").getAsInt());
    assertTrue(report.get("seconds").getAsDouble() < 30, report.toString());
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
