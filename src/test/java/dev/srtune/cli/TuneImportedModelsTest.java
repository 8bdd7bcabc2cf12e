package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.image.ImageFiles;
import dev.srtune.testing.Shared;
import dev.srtune.testing.TfGraphFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on each kind of imported model, as a user runs them: the same ESPCN-shaped ×2 network (a perturbed
 * nearest-neighbour upscaler) written frozen, as a TF1 meta graph + checkpoint, and as a function-based SavedModel;
 * each imported with {@code srtune build ...} and fine-tuned with {@code srtune tune} for 40 iterations on a 48×48
 * LR crop of Set5 bird (made by {@code srtune degrade}); the LR-PSNR in {@code report.json} must rise.
 */
@Tag("integration")
class TuneImportedModelsTest {
  @TempDir static Path tmp;
  static Path hr;
  static Path lr;
  static final TfGraphFiles.Weights WEIGHTS = TfGraphFiles.Weights.nearestUpsampling(8, 3, 0.05);

  @BeforeAll
  static void makeImages() throws Exception {
    hr = tmp.resolve("hr.png");
    ImageFiles.writePng(ImageFiles.read(Shared.path("datasets/Set5/bird.png")).crop(96, 96, 96, 96), hr);
    lr = tmp.resolve("lr.png");
    assertEquals(0, Main.run("degrade", "--input", hr.toString(), "--scale", "2", "--out", lr.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"graphdef", "checkpoint", "savedmodel"})
  void buildThenTune(String format) throws Exception {
    Path model = tmp.resolve(format + "-model");
    String[] build = switch (format) {
      case "graphdef" -> new String[] {"build", "graphdef", "--graph",
          TfGraphFiles.writeFrozen(tmp.resolve("espcn.pb"), WEIGHTS).toString()};
      case "checkpoint" -> new String[] {"build", "checkpoint", "--meta",
          TfGraphFiles.writeMetaGraph(tmp.resolve("ckpt"), WEIGHTS).toString()};
      default -> new String[] {"build", "savedmodel", "--dir",
          TfGraphFiles.writeFunctionSavedModel(tmp.resolve("keras"), WEIGHTS).toString()};
    };
    String[] withOut = java.util.Arrays.copyOf(build, build.length + 2);
    withOut[build.length] = "--out";
    withOut[build.length + 1] = model.toString();
    assertEquals(0, Main.run(withOut));
    Path out = tmp.resolve(format + "-tune");
    long t0 = System.nanoTime();
    assertEquals(0, Main.run("tune", "--model", model.toString(), "--input", lr.toString(), "--hr", hr.toString(),
        "--max-iters", "40", "--stop", "none", "--lr", "1e-3", "--out", out.toString()));
    JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    double start = report.getAsJsonObject("lr_psnr").get("start").getAsDouble();
    double end = report.getAsJsonObject("lr_psnr").get("end").getAsDouble();
    double hrStart = report.getAsJsonObject("hr_psnr").get("start").getAsDouble();
    double hrEnd = report.getAsJsonObject("hr_psnr").get("end").getAsDouble();
    System.out.printf("tune on the %s import: %d iterations, LR-PSNR %.2f -> %.2f dB, HR-PSNR %.2f -> %.2f dB,"
        + " %.1f s%n", format, report.get("iterations").getAsInt(), start, end, hrStart, hrEnd,
        (System.nanoTime() - t0) / 1e9);
    assertEquals(40, report.get("iterations").getAsInt());
    assertTrue(end > start + 0.5, "LR-PSNR " + start + " -> " + end);
  }
}
