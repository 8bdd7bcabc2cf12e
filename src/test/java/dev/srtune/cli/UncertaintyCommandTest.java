package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.graph.enhancenet.EnhanceNetImporter;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.Npy;
import dev.srtune.testing.Shared;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code srtune uncertainty} with the real EnhanceNet ×4 on a small Set5 crop (issue 12, item 2). */
@Tag("integration")
class UncertaintyCommandTest {
  @TempDir static Path tmp;
  static Path model;
  static Path lr;

  @BeforeAll
  static void setUp() throws Exception {
    model = tmp.resolve("enet-x4");
    EnhanceNetImporter.build(Shared.enhanceNetCheckpoint(), 4, model);
    lr = tmp.resolve("lr.png");
    ImageFiles.writePng(ImageFiles.read(Shared.path("datasets/Set5/butterfly.png")).crop(100, 90, 24, 20), lr);
  }

  @Test
  void writesTheFourFiles() throws Exception {
    Path out = tmp.resolve("out");
    NothingLostTest.Run r = NothingLostTest.run("uncertainty", "--model", model.toString(), "--input", lr.toString(),
        "--passes", "5", "--dropout", "0.002", "--seed", "3", "--batch", "2", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("5/5 passes"), r.err());
    for (String f : UncertaintyCommand.OUTPUT_FILES) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertEquals(96, ImageFiles.read(out.resolve("mean.png")).height());
    assertEquals(80, ImageFiles.read(out.resolve("mean.png")).width());
    Npy.Array v = Npy.read(out.resolve("variance.npy"));
    assertArrayEquals(new int[] {96, 80}, v.shape());
    double sum = 0;
    float max = 0;
    int argMax = 0;
    for (int i = 0; i < v.data().length; i++) {
      assertTrue(v.data()[i] >= 0, "variance " + v.data()[i]);
      sum += v.data()[i];
      if (v.data()[i] > max) {
        max = v.data()[i];
        argMax = i;
      }
    }
    JsonObject j = JsonParser.parseString(Files.readString(out.resolve("uncertainty.json"))).getAsJsonObject();
    JsonObject s = j.getAsJsonObject("variance");
    assertEquals(sum / v.data().length, s.get("mean").getAsDouble(), 1e-6 * Math.max(1e-9, max));
    assertEquals(max, s.get("max").getAsDouble(), 1e-12);
    assertTrue(s.get("p50").getAsDouble() <= s.get("p90").getAsDouble()
        && s.get("p90").getAsDouble() <= s.get("p99").getAsDouble() && s.get("p99").getAsDouble() <= max);
    assertTrue(max > 0, "dropout at p = 0.002 changed nothing");
    assertEquals(5, j.get("passes").getAsInt());
    assertEquals(3, j.get("seed").getAsLong());
    assertEquals(0.002, j.get("dropout").getAsDouble());
    assertEquals("blocks", j.get("placement").getAsString());
    assertEquals(14, j.getAsJsonArray("sites").size());
    assertTrue(j.get("seconds").getAsDouble() > 0);

    // The picture: the map on top (most variance black), a legend under it.
    BufferedImage pic = ImageIO.read(out.resolve("variance.png").toFile());
    assertEquals(96 + 40, pic.getHeight());
    assertTrue(pic.getWidth() >= 80);
    assertEquals(0, pic.getRGB(argMax % 80, argMax / 80) & 0xff, "largest variance is black");
    assertEquals(0xff, pic.getRGB(8, 96 + 10) & 0xff, "legend starts white");
    assertEquals(0, pic.getRGB(pic.getWidth() - 9, 96 + 10) & 0xff, "legend ends black");
  }

  @Test
  void onePassIsRefusedInOneSentence() throws Exception {
    Path out = tmp.resolve("one-pass");
    NothingLostTest.Run r = NothingLostTest.run("uncertainty", "--model", model.toString(), "--input",
        lr.toString(), "--passes", "1", "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("srtune: --passes 1 gives no variance"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aPatternMatchingNothingIsRefusedInOneSentence() throws Exception {
    Path out = tmp.resolve("no-layers");
    NothingLostTest.Run r = NothingLostTest.run("uncertainty", "--model", model.toString(), "--input",
        lr.toString(), "--passes", "2", "--layers", "NoSuchOp", "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("matches the dropout placement layers:NoSuchOp"), r.err());
    assertEquals(1, r.err().lines().filter(l -> !l.isBlank()).count(), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void anInputThatIsNotAnImageIsRefused() throws Exception {
    Path notImage = Files.writeString(tmp.resolve("notes.png"), "not a png\n");
    NothingLostTest.Run r = NothingLostTest.run("uncertainty", "--model", model.toString(), "--input",
        notImage.toString(), "--out", tmp.resolve("bad").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("srtune: Could not read"), r.err());
    assertFalse(Files.exists(tmp.resolve("bad")));
  }

  @Test
  void anInputNamedLikeAnOutputInsideOutIsNeverOverwritten() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("clash"));
    Path input = Files.copy(lr, out.resolve("mean.png"));
    byte[] before = Files.readAllBytes(input);
    NothingLostTest.Run r = NothingLostTest.run("uncertainty", "--model", model.toString(), "--input",
        input.toString(), "--passes", "2", "--out", out.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("never overwrites"), r.err());
    assertArrayEquals(before, Files.readAllBytes(input));
    try (var files = Files.list(out)) {
      assertEquals(1, files.count(), "nothing written next to the input");
    }
  }
}
