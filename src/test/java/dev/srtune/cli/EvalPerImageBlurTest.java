package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dev.srtune.degrade.KernelFiles;
import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.BlurredDegradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Shared;
import dev.srtune.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval} with a blur per image ({@code random:seed={i}}) and with each image's kernel estimated from its LR
 * ({@code --blur estimate --lr-blur ...}), the settings of the paper's Table II, on crops of two Set5 images and a
 * tiny real network.
 */
class EvalPerImageBlurTest {
  @TempDir static Path tmp;
  static Path dataset;
  static Path model;

  @BeforeAll
  static void setUp() throws Exception {
    dataset = Files.createDirectories(tmp.resolve("hr"));
    // Name order: bird is image 1, butterfly image 2.
    ImageFiles.writePng(ImageFiles.read(Shared.path("datasets/Set5/bird.png")).crop(60, 60, 96, 96),
        dataset.resolve("bird.png"));
    ImageFiles.writePng(ImageFiles.read(Shared.path("datasets/Set5/butterfly.png")).crop(80, 80, 96, 96),
        dataset.resolve("butterfly.png"));
    model = TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
  }

  private static RgbImage lrOf(String name, String blur) throws Exception {
    return LrSynthesis.asDegradeWrites(ImageFiles.read(dataset.resolve(name + ".png")),
        Degradations.operator(blur, "bicubic", 2, KernelFiles.INSTANCE));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Path f) throws Exception {
    return new Gson().fromJson(Files.readString(f, StandardCharsets.UTF_8), Map.class);
  }

  @Test
  void everyImageGetsItsOwnKernelAndAIsTheSame() throws Exception {
    Path out = tmp.resolve("nonblind");
    BadInputTest.Run r = BadInputTest.run("eval", "--model", model.toString(), "--dataset", dataset.toString(),
        "--scale", "2", "--blur", "random:seed={i}", "--max-iters", "2", "--lpips", "none", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    RgbImage bird = ImageFiles.read(out.resolve("images/bird/lr.png"));
    RgbImage butterfly = ImageFiles.read(out.resolve("images/butterfly/lr.png"));
    assertTrue(Arrays.equals(lrOf("bird", "random:seed=1").data(), bird.data()), "bird's LR is not seed 1's");
    assertTrue(Arrays.equals(lrOf("butterfly", "random:seed=2").data(), butterfly.data()),
        "butterfly's LR is not seed 2's");
    assertFalse(Arrays.equals(lrOf("butterfly", "random:seed=1").data(), butterfly.data()));
    // A (what fine-tuning used, in report.json) is the image's own kernel.
    assertTrue(Files.readString(out.resolve("images/butterfly/report.json")).contains("seed=2"));
    assertTrue(Files.readString(out.resolve("results.md")).contains("random:seed={i}"));

    // The same folder with another LR blur is another experiment: refused, nothing replaced.
    String before = Files.readString(out.resolve("results.csv"));
    BadInputTest.Run again = BadInputTest.run("eval", "--model", model.toString(), "--dataset",
        dataset.toString(), "--scale", "2", "--blur", "random:seed={i}", "--lr-blur", "random:seed=7",
        "--max-iters", "2", "--lpips", "none", "--out", out.toString());
    assertEquals(2, again.code(), again.err());
    assertEquals(before, Files.readString(out.resolve("results.csv")));
  }

  @Test
  void blurIgnoredMakesTheLrWithLrBlurOnly() throws Exception {
    Path out = tmp.resolve("ignored");
    BadInputTest.Run r = BadInputTest.run("eval", "--model", model.toString(), "--dataset", dataset.toString(),
        "--scale", "2", "--lr-blur", "random:seed={i}", "--images", "butterfly", "--max-iters", "1",
        "--lpips", "none", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Arrays.equals(lrOf("butterfly", "random:seed=2").data(),
        ImageFiles.read(out.resolve("images/butterfly/lr.png")).data()), "--images must not renumber {i}");
    Map<String, Object> report = json(out.resolve("images/butterfly/report.json"));
    assertFalse(report.toString().contains("seed=2"), "A must be bicubic alone: " + report.get("operator"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void blindEstimatesEachKernelFromItsLr() throws Exception {
    Path out = tmp.resolve("blind");
    BadInputTest.Run r = BadInputTest.run("eval", "--model", model.toString(), "--dataset", dataset.toString(),
        "--scale", "2", "--blur", "estimate", "--lr-blur", "random:seed={i}", "--images", "butterfly",
        "--max-iters", "1", "--lpips", "none", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    Path dir = out.resolve("images/butterfly");
    assertTrue(Files.isRegularFile(dir.resolve("kernel.png")));
    Npy.Array est = Npy.read(dir.resolve("kernel.npy"));
    Map<String, Object> accuracy = (Map<String, Object>) ((Map<String, Object>) json(dir.resolve("report.json"))
        .get("blur_estimate")).get("accuracy");
    // The unshifted error again, here, from the saved estimate and the true kernel (both centred, odd sides).
    var truth = ((BlurredDegradation) Degradations.operator("random:seed=2", "bicubic", 2, KernelFiles.INSTANCE))
        .blur().kernel();
    int n = Math.max(Math.max(est.shape()[0], truth.height()), Math.max(est.shape()[1], truth.width()));
    double diff = 0;
    double norm = 0;
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        double e = tap(est.data(), est.shape()[0], est.shape()[1], y - (n - est.shape()[0]) / 2,
            x - (n - est.shape()[1]) / 2);
        double t = tap(truth.values(), truth.height(), truth.width(), y - (n - truth.height()) / 2,
            x - (n - truth.width()) / 2);
        diff += (e - t) * (e - t);
        norm += t * t;
      }
    }
    double l2 = Math.sqrt(diff / norm);
    assertEquals(l2, ((Number) accuracy.get("normalised_l2_unshifted")).doubleValue(), 1e-3);
    assertTrue(l2 < 1, "estimate unrelated to the truth: " + l2);
    assertTrue(accuracy.get("true_kernel").toString().contains("seed=2"), accuracy.toString());
    // A used the estimate: the report's operator names the saved kernel.
    assertNotEquals(-1, Files.readString(dir.resolve("report.json")).indexOf("kernel.npy"));
  }

  private static double tap(float[] v, int h, int w, int y, int x) {
    return y < 0 || x < 0 || y >= h || x >= w ? 0 : v[y * w + x];
  }

  private static double tap(double[] v, int h, int w, int y, int x) {
    return y < 0 || x < 0 || y >= h || x >= w ? 0 : v[y * w + x];
  }

  @Test
  void estimateTakesNoPlaceholders() {
    Path out = tmp.resolve("bad");
    BadInputTest.Run r = BadInputTest.run("eval", "--model", model.toString(), "--dataset", dataset.toString(),
        "--scale", "2", "--blur", "estimate:size={i}", "--out", out.toString());
    BadInputTest.assertOneSentence(r, "estimates each image's kernel");
    assertFalse(Files.exists(out));
  }
}
