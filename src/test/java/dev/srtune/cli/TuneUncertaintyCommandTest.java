package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import dev.srtune.tune.TuneJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tune --uncertainty --mask --tv} end to end on a tiny conv net (dropout lands after its first conv+ReLU):
 * the files of Figure 9, the report's before/after variance, and the pretrained map equal to what the separate
 * {@code uncertainty} command computes with the same seed, rate and placement.
 */
class TuneUncertaintyCommandTest {
  @TempDir Path tmp;

  @Test
  void writesBeforeAfterMapsAndRecordsTheLossTerms() throws Exception {
    Path model = TinyModels.save(tmp.resolve("tiny"), 2, (tf, lr) -> TinyModels.smallConv(tf, lr, 2, 3));
    Random r = new Random(1);
    float[] d = new float[16 * 16 * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    Path lr = tmp.resolve("lr.png");
    ImageFiles.writePng(new RgbImage(16, 16, d), lr);
    Path out = tmp.resolve("out");
    NothingLostTest.Run run = NothingLostTest.run("tune", "--model", model.toString(), "--input", lr.toString(),
        "--scale", "2", "--schedule", "paper", "--lr", "0.05", "--max-iters", "4", "--stop", "none",
        "--uncertainty", "3", "--dropout", "0.2", "--dropout-seed", "5", "--mask", "variance:0.5", "--tv", "0.01",
        "--out", out.toString());
    assertEquals(0, run.code(), run.err());
    for (String f : TuneJob.outputFiles(true)) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    JsonObject rep = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    JsonObject u = rep.getAsJsonObject("uncertainty");
    double before = u.getAsJsonObject("mean_variance").get("start").getAsDouble();
    double after = u.getAsJsonObject("mean_variance").get("end").getAsDouble();
    assertTrue(before > 0 && after > 0, u.toString());
    assertNotEquals(before, after, "the fine-tuned weights give another map");
    assertEquals(3, u.get("passes").getAsInt());
    assertEquals(5, u.get("seed").getAsLong());
    Npy.Array start = Npy.read(out.resolve("variance_start.npy"));
    assertEquals(32, start.shape()[0]);
    double sum = 0;
    for (float v : start.data()) {
      sum += v;
    }
    assertEquals(before, sum / start.data().length, 1e-6 * before);

    JsonArray terms = rep.getAsJsonObject("hyper_parameters").getAsJsonArray("loss_terms");
    assertEquals(2, terms.size());
    JsonObject mask = terms.get(0).getAsJsonObject();
    assertEquals("mask:variance:0.5", mask.get("term").getAsString());
    assertEquals(0.5, mask.get("nonzero_fraction").getAsDouble(), 0.1);
    assertEquals("tv", terms.get(1).getAsJsonObject().get("term").getAsString());
    assertEquals(0.01, terms.get(1).getAsJsonObject().get("weight").getAsDouble());

    // The same map from the uncertainty command on the pretrained model.
    Path alone = tmp.resolve("alone");
    NothingLostTest.Run u2 = NothingLostTest.run("uncertainty", "--model", model.toString(), "--input",
        lr.toString(), "--passes", "3", "--dropout", "0.2", "--seed", "5", "--out", alone.toString());
    assertEquals(0, u2.code(), u2.err());
    float[] a = Npy.read(alone.resolve("variance.npy")).data();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], start.data()[i], 1e-7f + 1e-5f * a[i], "pixel " + i);
    }
  }

  @Test
  void helpShowsTheNewOptions() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      Main.run("tune", "--help");
    } finally {
      System.setOut(old);
    }
    String help = buf.toString(StandardCharsets.UTF_8);
    for (String o : new String[] {"--mask", "--tv", "--uncertainty", "--dropout", "--dropout-seed"}) {
      assertTrue(help.contains(o), o + " in:\n" + help);
    }
  }
}
