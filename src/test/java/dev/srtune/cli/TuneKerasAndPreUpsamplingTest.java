package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.image.ImageFiles;
import dev.srtune.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two shapes of issue 29 as a user runs them: {@code srtune build keras --h5 generator.h5 --out DIR} and
 * {@code srtune build checkpoint --meta SRCNN.model-2550000.meta --scale 3 --out DIR} with no other option, then
 * {@code srtune tune} on a Set5 bird crop made LR by {@code srtune degrade}: the LR-PSNR rises. The SRCNN built for
 * ×3 also tunes at ×2 (a pre-upsampling network runs at any scale: only the enlargement in front changes).
 */
@Tag("integration")
class TuneKerasAndPreUpsamplingTest {
  @TempDir static Path tmp;

  @Test
  void fastSrganBuiltFromItsH5Tunes() throws Exception {
    Path model = tmp.resolve("fast-srgan");
    BadInputTest.Run built = BadInputTest.run("build", "keras", "--h5",
        Shared.path("models/tf-real/keras/fast-srgan/generator.h5").toString(), "--out", model.toString());
    assertEquals(0, built.code(), built.err());
    tuneAndCheck(model, 4, "generator.h5");
  }

  @Test
  void srcnnBuiltForX3TunesAtX3AndAtX2() throws Exception {
    Path model = tmp.resolve("srcnn");
    BadInputTest.Run built = BadInputTest.run("build", "checkpoint", "--meta",
        Shared.path("models/tf-real/srcnn/SRCNN.model-2550000.meta").toString(), "--scale", "3", "--out",
        model.toString());
    assertEquals(0, built.code(), built.err());
    tuneAndCheck(model, 3, "SRCNN x3");
    JsonObject atX2 = tuneAndCheck(model, 2, "SRCNN built for x3, at x2");
    assertEquals(3, atX2.getAsJsonObject("model").getAsJsonObject("metadata").get("built_scale").getAsInt());
    JsonObject meta = JsonParser.parseString(Files.readString(model.resolve("srtune.json"))).getAsJsonObject();
    assertEquals(3, meta.get("scale").getAsInt(), "the built model is left as it was");
  }

  private static JsonObject tuneAndCheck(Path model, int scale, String what) throws Exception {
    String name = model.getFileName() + "-x" + scale;
    Path hr = tmp.resolve(name + "-hr.png");
    ImageFiles.writePng(ImageFiles.read(Shared.path("datasets/Set5/bird.png")).crop(16, 16, 240, 240), hr);
    Path lr = tmp.resolve(name + "-lr.png");
    assertEquals(0, Main.run("degrade", "--input", hr.toString(), "--scale", String.valueOf(scale), "--out",
        lr.toString()));
    Path out = tmp.resolve(name + "-tune");
    BadInputTest.Run tuned = BadInputTest.run("tune", "--model", model.toString(), "--input", lr.toString(), "--hr",
        hr.toString(), "--scale", String.valueOf(scale), "--max-iters", "20", "--stop", "none", "--lpips", "none",
        "--out", out.toString());
    assertEquals(0, tuned.code(), tuned.err());
    JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    double start = report.getAsJsonObject("lr_psnr").get("start").getAsDouble();
    double end = report.getAsJsonObject("lr_psnr").get("end").getAsDouble();
    JsonObject hrPsnr = report.getAsJsonObject("hr_psnr");
    System.out.printf("%s: LR-PSNR %.2f -> %.2f dB, HR-PSNR %.2f -> %.2f dB%n", what, start, end,
        hrPsnr.get("start").getAsDouble(), hrPsnr.get("end").getAsDouble());
    assertTrue(end > start + 0.1, what + ": LR-PSNR " + start + " -> " + end);
    return report;
  }
}
