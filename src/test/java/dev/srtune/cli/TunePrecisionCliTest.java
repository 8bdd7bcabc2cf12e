package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: what the user receives is the network's fp32 output on every CPU. Under the default precision (auto)
 * sr_start.png is byte for byte that of --precision fp32, and report.json says fp32 ran; on a CPU with
 * bf16 arithmetic this is where a session-wide bf16 rewrite used to move them by 2-5 levels.
 */
class TunePrecisionCliTest {
  @TempDir Path tmp;

  @Test
  void theDefaultWritesTheFp32OutputsByteForByte() throws Exception {
    Path model = TinyModels.save(tmp.resolve("tiny"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 5));
    Random rnd = new Random(7);
    float[] d = new float[60 * 60 * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = rnd.nextFloat();
    }
    Path lr = tmp.resolve("lr.png");
    ImageFiles.writePng(new RgbImage(60, 60, d), lr);
    Path auto = tmp.resolve("auto");
    Path fp32 = tmp.resolve("fp32");
    for (String[] run : new String[][] {{auto.toString()}, {fp32.toString(), "--precision", "fp32"}}) {
      String[] args = {"tune", "--model", model.toString(), "--input", lr.toString(), "--max-iters", "20",
          "--lpips", "none", "--out", run[0]};
      if (run.length > 1) {
        args = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(run, 1, 3))
            .toArray(String[]::new);
      }
      BadInputTest.Run r = BadInputTest.run(args);
      assertEquals(0, r.code(), r.err());
    }
    assertArrayEquals(Files.readAllBytes(fp32.resolve("sr_start.png")), Files.readAllBytes(auto.resolve("sr_start.png")));
    assertEquals("fp32", JsonParser.parseString(Files.readString(auto.resolve("report.json"))).getAsJsonObject()
        .getAsJsonObject("hyper_parameters").get("precision").getAsString());
  }
}
