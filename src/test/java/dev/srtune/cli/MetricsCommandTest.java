package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.image.ImageFiles;
import dev.srtune.testing.ReferenceIndex;
import dev.srtune.testing.Shared;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code srtune metrics --json} on the reference pair saved as PNGs: every number against INDEX.json. */
@Tag("integration")
class MetricsCommandTest {
  @TempDir Path tmp;

  private String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run(args));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8).trim();
  }

  @Test
  void jsonHasAllMetricsInTheirConventions() throws Exception {
    Path hr = tmp.resolve("hr.png");
    Path sr = tmp.resolve("sr.png");
    // The arrays are 8-bit values / 255, so the PNGs hold them exactly.
    ImageFiles.writePng(Shared.referenceImage("metrics/butterfly_x2_hr.npy"), hr);
    ImageFiles.writePng(Shared.referenceImage("metrics/butterfly_x2_sr_bicubic.npy"), sr);
    String out = run("metrics", "--a", hr.toString(), "--b", sr.toString(), "--shave", "2", "--json", "--lpips",
        "squeeze", "--lpips-weights", Shared.path("models/lpips").toString());
    JsonObject got = JsonParser.parseString(out).getAsJsonObject();
    JsonObject ref = ReferenceIndex.section("metrics", "butterfly_x2");
    assertEquals(ref.get("psnr_rgb").getAsDouble(), got.get("psnr_rgb").getAsDouble(), 1e-5);
    assertEquals(ref.get("psnr_y").getAsDouble(), got.get("psnr_y").getAsDouble(), 1e-5);
    assertEquals(ref.get("ssim_y").getAsDouble(), got.get("ssim_y").getAsDouble(), 1e-5);
    double lpips = ReferenceIndex.section("lpips", "butterfly_hr_vs_bicubic_x2_down_up").get("lpips_float32").getAsDouble();
    assertEquals(lpips, got.get("lpips").getAsDouble(), 2e-6);
    assertEquals("squeeze", got.get("lpips_net").getAsString());
  }

  @Test
  void identicalImagesGiveInfinityAndZero() throws Exception {
    Path hr = tmp.resolve("hr.png");
    ImageFiles.writePng(Shared.referenceImage("lpips/ex_ref.npy"), hr);
    String out = run("metrics", "--a", hr.toString(), "--b", hr.toString(), "--json", "--lpips", "squeeze",
        "--lpips-weights", Shared.path("models/lpips").toString());
    JsonObject got = JsonParser.parseString(out).getAsJsonObject();
    assertEquals(Double.POSITIVE_INFINITY, got.get("psnr_rgb").getAsDouble());
    assertEquals(Double.POSITIVE_INFINITY, got.get("psnr_y").getAsDouble());
    assertEquals(1.0, got.get("ssim_y").getAsDouble());
    assertEquals(0.0, got.get("lpips").getAsDouble());
  }

  @Test
  void withoutLpipsWeightsTheOtherMetricsStillPrint() throws Exception {
    Path hr = tmp.resolve("hr.png");
    ImageFiles.writePng(Shared.referenceImage("lpips/ex_ref.npy"), hr);
    Path empty = tmp.resolve("no-weights");
    java.nio.file.Files.createDirectories(empty);
    String out = run("metrics", "--a", hr.toString(), "--b", hr.toString(), "--json", "--lpips", "alex",
        "--lpips-weights", empty.toString());
    JsonObject got = JsonParser.parseString(out).getAsJsonObject();
    assertFalse(got.has("lpips"));
    assertTrue(got.has("ssim_y"));
  }
}
