package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.BicubicDownsampler;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

/** build enhancenet + tune --export on the real checkpoint, a few iterations on a small crop. */
@Tag("integration")
class EnhanceNetTuneCliTest {
  @TempDir Path tmp;

  @Test
  void tuneWritesContractFilesAndAnExportThatReproducesSrPng() throws Exception {
    Path model = tmp.resolve("enet-x2");
    assertEquals(0, Main.run("build", "enhancenet", "--checkpoint", Shared.enhanceNetCheckpoint().toString(),
        "--scale", "2", "--out", model.toString()));
    RgbImage hr = ImageFiles.read(Shared.path("datasets/Set5/butterfly.png")).crop(96, 96, 64, 64);
    RgbImage lr = LrSynthesis.degrade8bit(hr, BicubicDownsampler.matlab(2));
    Path lrFile = tmp.resolve("lr.png");
    Path hrFile = tmp.resolve("hr.png");
    ImageFiles.writePng(lr, lrFile);
    ImageFiles.writePng(hr, hrFile);
    Path out = tmp.resolve("out");
    Path export = tmp.resolve("tuned");
    assertEquals(0, Main.run("tune", "--model", model.toString(), "--input", lrFile.toString(), "--hr",
        hrFile.toString(), "--scale", "2", "--max-iters", "5", "--stop", "none", "--out", out.toString(),
        "--export", export.toString()));
    JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    assertEquals(5, report.get("iterations").getAsInt());
    assertEquals("max_iterations", report.get("stop_reason").getAsString());
    double lrStart = report.getAsJsonObject("lr_psnr").get("start").getAsDouble();
    double lrEnd = report.getAsJsonObject("lr_psnr").get("end").getAsDouble();
    assertTrue(lrEnd > lrStart, "LR-PSNR " + lrStart + " -> " + lrEnd);
    assertTrue(report.has("hr_psnr"));
    assertEquals("bicubic", report.getAsJsonObject("operator").get("spec").getAsString());

    RgbImage srPng = ImageFiles.read(out.resolve("sr.png"));
    try (SavedModelBundle b = SavedModelBundle.load(export.toString(), "serve");
        TFloat32 x = lr.toTensor();
        TFloat32 y = (TFloat32) b.session().runner().feed("lr", x).fetch("sr").run().get(0)) {
      RgbImage reloaded = RgbImage.fromTensor(y).quantized8();
      int differing = 0;
      for (int i = 0; i < srPng.data().length; i++) {
        float d = Math.abs(srPng.data()[i] - reloaded.data()[i]) * 255;
        assertTrue(d <= 1.01f, "differs by " + d + " levels");
        differing += d > 0.5f ? 1 : 0;
      }
      assertTrue(differing <= srPng.data().length / 1000, differing + " samples differ by one level");
    }
  }
}
