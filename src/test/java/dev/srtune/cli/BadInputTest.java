package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Errors a user can cause: one sentence on stderr, exit code 2, no stack trace, nothing written or touched. */
class BadInputTest {
  @TempDir static Path tmp;
  static Path model;
  static Path constantModel;
  static Path scalarModel;
  static Path lr;

  @BeforeAll
  static void setUp() throws Exception {
    model = TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
    constantModel = TinyModels.save(tmp.resolve("no-vars"), 2, (tf, x) ->
        tf.withName("sr").identity(TinyModels.nearestUp(tf, x, 2)));
    // sr = w · nearest_up(lr): the loss is quadratic in w, so a huge learning rate makes it diverge.
    scalarModel = TinyModels.save(tmp.resolve("scalar"), 2, (tf, x) -> TinyModels.scalarRef(tf, x, 2, 0.5f));
    Random r = new Random(0);
    float[] d = new float[16 * 16 * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    lr = tmp.resolve("lr.png");
    ImageFiles.writePng(new RgbImage(16, 16, d), lr);
  }

  record Run(int code, String err) {}

  static Run run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new Run(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  static void assertOneSentence(Run r, String expectedFragment) {
    assertEquals(2, r.code(), r.err());
    String line = r.err().lines().filter(l -> l.startsWith("srtune: ")).findFirst().orElse("");
    assertTrue(line.contains(expectedFragment), "stderr was: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace expected: " + r.err());
  }

  @Test
  void missingImage() {
    Path out = tmp.resolve("out-missing");
    Run r = run("tune", "--model", model.toString(), "--input", tmp.resolve("nope.png").toString(), "--scale", "2",
        "--out", out.toString(), "--max-iters", "1");
    assertOneSentence(r, "does not exist");
    assertFalse(Files.exists(out));
  }

  @Test
  void corruptImage() throws Exception {
    Path bad = tmp.resolve("corrupt.png");
    Files.write(bad, "not a png at all".getBytes(StandardCharsets.US_ASCII));
    byte[] before = Files.readAllBytes(bad);
    Run r = run("tune", "--model", model.toString(), "--input", bad.toString(), "--scale", "2",
        "--out", tmp.resolve("out-corrupt").toString(), "--max-iters", "1");
    assertOneSentence(r, "as an image");
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(bad)), "input untouched");
  }

  /** A folder that is not a SavedModel is said to be one first, not that it lacks a scale (issue 31). */
  @Test
  void aFolderThatIsNoModelIsSaidToBeNoneBeforeAnythingElse() throws Exception {
    Path notAModel = Files.createDirectories(tmp.resolve("not-a-model"));
    Run r = run("tune", "--model", notAModel.toString(), "--input", lr.toString(), "--out",
        tmp.resolve("out-none").toString());
    assertOneSentence(r, "No SavedModel at");
  }

  @Test
  void wrongScaleForTheModel() {
    Run r = run("tune", "--model", model.toString(), "--input", lr.toString(), "--scale", "3",
        "--out", tmp.resolve("out-scale").toString(), "--max-iters", "1");
    assertOneSentence(r, "super-resolves by 2 but --scale 3");
  }

  @Test
  void unsupportedScale() {
    Run r = run("tune", "--model", model.toString(), "--input", lr.toString(), "--scale", "11",
        "--out", tmp.resolve("out-scale11").toString());
    assertOneSentence(r, "Scale 11 is not supported");
  }

  @Test
  void imageTooSmall() throws Exception {
    Path tiny = tmp.resolve("tiny.png");
    ImageFiles.writePng(RgbImage.zeros(2, 3), tiny);
    Run r = run("tune", "--model", model.toString(), "--input", tiny.toString(), "--scale", "2",
        "--out", tmp.resolve("out-small").toString(), "--max-iters", "1");
    assertOneSentence(r, "must be at least");
  }

  @Test
  void modelWithoutVariables() {
    Run r = run("tune", "--model", constantModel.toString(), "--input", lr.toString(), "--scale", "2",
        "--out", tmp.resolve("out-novars").toString(), "--max-iters", "1");
    assertOneSentence(r, "no trainable variables");
  }

  @Test
  void imageTooLargeForTheMemoryEvenTiledIsRefusedAtOnce() {
    Path out = tmp.resolve("out-memory");
    Run r = run("tune", "--model", model.toString(), "--input", lr.toString(), "--scale", "2",
        "--out", out.toString(), "--max-iters", "5", "--memory-budget", "1K");
    assertOneSentence(r, "does not fit");
    assertFalse(Files.exists(out));
  }

  @Test
  void badMemoryBudget() {
    Run r = run("tune", "--model", model.toString(), "--input", lr.toString(), "--memory-budget", "lots");
    assertOneSentence(r, "is not a size");
  }

  @Test
  void badLossChannelsAndAMaskOnTheLuma() {
    assertOneSentence(run("tune", "--model", model.toString(), "--input", lr.toString(), "--loss-channels", "cmyk"),
        "--loss-channels must be rgb or y");
    assertOneSentence(run("tune", "--model", model.toString(), "--input", lr.toString(), "--loss-channels", "y",
        "--mask", "variance"), "--mask weights the RGB data term");
  }

  @Test
  void missingModel() {
    Run r = run("tune", "--model", tmp.resolve("no-model").toString(), "--input", lr.toString(), "--scale", "2");
    assertOneSentence(r, "No SavedModel at");
  }

  @Test
  void badStopRule() {
    Run r = run("tune", "--model", model.toString(), "--input", lr.toString(), "--scale", "2", "--stop", "soon");
    assertOneSentence(r, "Unknown --stop");
  }

  @Test
  void divergingLossExitsNonZeroAndKeepsPreviousOutputs() throws Exception {
    Path out = tmp.resolve("out-nan");
    Files.createDirectories(out);
    Files.writeString(out.resolve("report.json"), "{\"previous\": true}\n");
    Run r = run("tune", "--model", scalarModel.toString(), "--input", lr.toString(), "--scale", "2",
        "--out", out.toString(), "--max-iters", "200", "--lr", "1e9", "--stop", "none", "--schedule", "paper");
    assertOneSentence(r, "loss became");
    assertEquals("{\"previous\": true}\n", Files.readString(out.resolve("report.json")));
  }

  @Test
  void goodRunWritesTheContractFiles() throws Exception {
    Path out = tmp.resolve("out-ok");
    Run r = run("tune", "--model", model.toString(), "--input", lr.toString(), "--scale", "2",
        "--out", out.toString(), "--max-iters", "3", "--stop", "none");
    assertEquals(0, r.code(), r.err());
    for (String f : new String[] {"sr.png", "sr_start.png", "report.json"}) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    String report = Files.readString(out.resolve("report.json"));
    for (String key : new String[] {"\"iterations\": 3", "\"stop_reason\"", "\"seconds\"", "\"seconds_per_iteration\"",
        "\"lr_psnr\"", "\"curve\"", "\"versions\"", "\"hyper_parameters\""}) {
      assertTrue(report.contains(key), key + " in " + report);
    }
  }
}
