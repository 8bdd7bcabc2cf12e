package dev.srtune.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import dev.srtune.metrics.Ssim;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness on a tiny network over three generated images: outputs agree with each other and resume exactly. */
class EvaluationTest {
  @TempDir static Path tmp;
  static Path model;
  static Path dataset;
  static Path full;
  static Evaluation.Outcome fullOutcome;

  @BeforeAll
  static void evaluateOnce() throws Exception {
    model = EvalFixtures.model(tmp.resolve("tiny"));
    dataset = EvalFixtures.dataset(Files.createDirectories(tmp.resolve("data")));
    full = tmp.resolve("full");
    fullOutcome = new Evaluation(EvalFixtures.settings(model, dataset, full, 6, null), null).run(EvalListener.none());
  }

  @Test
  void everyImageIsEvaluatedAndStored() throws Exception {
    assertTrue(fullOutcome.complete());
    assertEquals(3, fullOutcome.computed());
    assertEquals(EvalFixtures.NAMES, fullOutcome.results().stream().map(ImageResult::name).toList());
    ResultStore store = new ResultStore(full);
    for (ImageResult r : fullOutcome.results()) {
      assertEquals(6, r.iterations());
      assertEquals("max_iterations", r.stopReason());
      ImageResult stored = store.read(r.name()).orElseThrow();
      assertEquals(r.end().psnrY(), stored.end().psnrY());
      for (String f : List.of("lr.png", "bicubic.png", "sr_start.png", "sr.png", "report.json", "strip.png",
          "crops.png", "curve.png")) {
        assertTrue(Files.isRegularFile(store.imageDir(r.name()).resolve(f)), r.name() + "/" + f);
      }
    }
    ImageResult gamma = fullOutcome.results().get(2);
    assertEquals(List.of(44, 40), List.of(gamma.hrSize()[0], gamma.hrSize()[1]), "modcropped to a multiple of 2");
    assertEquals(List.of(22, 20), List.of(gamma.lrSize()[0], gamma.lrSize()[1]));
  }

  /** The stored numbers are the metrics of the stored pictures against the dataset's HR image. */
  @Test
  void metricsMatchTheStoredImages() throws Exception {
    ResultStore store = new ResultStore(full);
    for (ImageResult r : fullOutcome.results()) {
      Path dir = store.imageDir(r.name());
      RgbImage original = ImageFiles.read(dataset.resolve(r.name() + ".png"));
      RgbImage hr = original.modcrop(2);
      assertEquals(LrSynthesis.asDegradeWrites(original, Degradations.downsampler("bicubic", 2)),
          ImageFiles.read(dir.resolve("lr.png")), "LR as degrade makes it");
      RgbImage start = ImageFiles.read(dir.resolve("sr_start.png"));
      RgbImage end = ImageFiles.read(dir.resolve("sr.png"));
      RgbImage bicubic = ImageFiles.read(dir.resolve("bicubic.png"));
      assertEquals(Psnr.y(hr, bicubic, 2), r.bicubic().psnrY(), 1e-9);
      assertEquals(Psnr.y(hr, start, 2), r.start().psnrY(), 1e-9);
      assertEquals(Psnr.y(hr, end, 2), r.end().psnrY(), 1e-9);
      assertEquals(Psnr.rgb(end, hr), r.end().psnrRgb(), 1e-9);
      assertEquals(Ssim.y(hr, end, 2), r.end().ssimY(), 1e-12);
      CurvePoint first = r.curve().get(0);
      CurvePoint last = r.curve().get(r.curve().size() - 1);
      assertEquals(r.start().psnrRgb(), first.hrPsnr(), 1e-4);
      assertEquals(r.end().psnrRgb(), last.hrPsnr(), 1e-9);
      assertEquals(r.iterations(), last.iteration());
      assertEquals(r.lrPsnrEnd(), last.lrPsnr(), 1e-9);
      assertTrue(r.lrPsnrEnd() > r.lrPsnrStart(), "fine-tuning raised the LR-PSNR of " + r.name());
    }
  }

  @Test
  void csvJsonAndMarkdownAgreeWithThePerImageResults() throws Exception {
    List<String> csv = Files.readAllLines(full.resolve("results.csv"));
    assertEquals(String.join(",", EvalReport.CSV_COLUMNS), csv.get(0));
    assertEquals(4, csv.size());
    int endY = EvalReport.CSV_COLUMNS.indexOf("end_psnr_y");
    int iters = EvalReport.CSV_COLUMNS.indexOf("iterations");
    int lpips = EvalReport.CSV_COLUMNS.indexOf("end_lpips");
    double sumStart = 0;
    double sumEnd = 0;
    double sumBic = 0;
    for (int i = 0; i < 3; i++) {
      String[] cells = csv.get(i + 1).split(",", -1);
      ImageResult r = fullOutcome.results().get(i);
      assertEquals(r.name(), cells[0]);
      assertEquals(r.end().psnrY(), Double.parseDouble(cells[endY]), 0);
      assertEquals(Integer.toString(r.iterations()), cells[iters]);
      assertEquals("", cells[lpips], "not measured: empty, not made up");
      sumStart += r.start().psnrY();
      sumEnd += r.end().psnrY();
      sumBic += r.bicubic().psnrY();
    }
    JsonObject json = JsonParser.parseString(Files.readString(full.resolve("results.json"))).getAsJsonObject();
    JsonObject avg = json.getAsJsonObject("averages");
    assertEquals(sumEnd / 3, avg.getAsJsonObject("end").get("psnr_y").getAsDouble(), 1e-9);
    assertEquals(3, json.getAsJsonArray("images").size());
    assertTrue(json.get("complete").getAsBoolean());
    String md = Files.readString(full.resolve("results.md"));
    String row = String.format(java.util.Locale.ROOT, "| Tiny | x2 | %.2f | — | %.2f | %.2f | — | — |", sumBic / 3,
        sumStart / 3, sumEnd / 3);
    assertTrue(md.contains(row), "paper-shaped row " + row + " in\n" + md);
    for (String convention : List.of("Operator A", "PSNR", "PS", "Stop rule", "Iteration budget")) {
      assertTrue(md.contains("**" + convention + "**"), convention + " named in the header");
    }
    assertTrue(md.contains("at most 6 iterations"));
  }

  @Test
  void picturesAndIndexAreComplete() throws Exception {
    ResultStore store = new ResultStore(full);
    for (ImageResult r : fullOutcome.results()) {
      BufferedImage strip = ImageIO.read(store.imageDir(r.name()).resolve("strip.png").toFile());
      assertEquals(4 * ComparisonStrip.PANEL + 3 * 4, strip.getWidth(), "four panels side by side");
      BufferedImage plot = ImageIO.read(store.imageDir(r.name()).resolve("curve.png").toFile());
      assertTrue(plot.getWidth() >= 400 && plot.getHeight() >= 200);
    }
    String html = Files.readString(full.resolve("index.html"));
    assertFalse(html.contains("http://") || html.contains("https://"), "no external assets");
    Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
    int links = 0;
    while (m.find()) {
      links++;
      assertTrue(Files.isRegularFile(full.resolve(m.group(1))), "link resolves offline: " + m.group(1));
    }
    assertEquals(3 * 2 + 3, links, "strip + curve per image, and the three result files");
    String firstRow = String.format(java.util.Locale.ROOT, "<td>alpha</td><td>%s</td>",
        EvalReport.db(fullOutcome.results().get(0).bicubic().psnrY()));
    assertTrue(html.contains(firstRow), "per-image table in the page");
  }

  /** Kills a run after its first image, resumes it, and compares with the uninterrupted run. */
  @Test
  void anInterruptedRunResumesToTheSameTables() throws Exception {
    Path out = tmp.resolve("interrupted");
    EvalSettings settings = EvalFixtures.settings(model, dataset, out, 6, null);
    EvalListener killAfterFirst = new EvalListener() {
      @Override
      public void onImage(ImageResult r, int index, int total, boolean resumed) {
        throw new IllegalStateException("killed after " + r.name());
      }
    };
    assertThrows(IllegalStateException.class, () -> new Evaluation(settings, null).run(killAfterFirst));
    ResultStore store = new ResultStore(out);
    assertTrue(Files.exists(store.resultFile("alpha")));
    assertFalse(Files.exists(store.resultFile("beta")));
    assertFalse(Files.exists(out.resolve("results.csv")), "killed before the tables");
    FileTime alphaResult = Files.getLastModifiedTime(store.resultFile("alpha"));
    byte[] alphaSr = Files.readAllBytes(store.imageDir("alpha").resolve("sr.png"));
    FileTime alphaSrTime = Files.getLastModifiedTime(store.imageDir("alpha").resolve("sr.png"));

    Map<String, Boolean> resumedByName = new HashMap<>();
    Evaluation.Outcome o = new Evaluation(settings, null).run(new EvalListener() {
      @Override
      public void onImage(ImageResult r, int index, int total, boolean resumed) {
        resumedByName.put(r.name(), resumed);
      }
    });
    assertEquals(Map.of("alpha", true, "beta", false, "gamma", false), resumedByName);
    assertEquals(2, o.computed(), "only the unfinished images are fine-tuned");
    assertEquals(alphaResult, Files.getLastModifiedTime(store.resultFile("alpha")), "alpha not recomputed");
    assertEquals(alphaSrTime, Files.getLastModifiedTime(store.imageDir("alpha").resolve("sr.png")));
    assertTrue(java.util.Arrays.equals(alphaSr, Files.readAllBytes(store.imageDir("alpha").resolve("sr.png"))));

    assertSameTables(full, out);
  }

  /** Deleting one image's result recomputes that image only. */
  @Test
  void aDeletedResultIsRecomputedAlone() throws Exception {
    Path out = tmp.resolve("deleted");
    EvalSettings settings = EvalFixtures.settings(model, dataset, out, 6, null);
    new Evaluation(settings, null).run(EvalListener.none());
    ResultStore store = new ResultStore(out);
    Files.delete(store.resultFile("beta"));
    FileTime alpha = Files.getLastModifiedTime(store.resultFile("alpha"));
    Evaluation.Outcome o = new Evaluation(settings, null).run(EvalListener.none());
    assertEquals(1, o.computed());
    assertEquals(alpha, Files.getLastModifiedTime(store.resultFile("alpha")));
    assertSameTables(full, out);
  }

  @Test
  void aLimitRunsInPieces() throws Exception {
    Path out = tmp.resolve("pieces");
    List<Integer> computed = new ArrayList<>();
    for (int piece = 0; piece < 3; piece++) {
      Evaluation.Outcome o = new Evaluation(EvalFixtures.settings(model, dataset, out, 6, 1), null)
          .run(EvalListener.none());
      computed.add(o.computed());
      assertEquals(piece == 2, o.complete());
      assertEquals(piece == 2, Files.readString(out.resolve("results.md")).contains("INCOMPLETE") == false);
    }
    assertEquals(List.of(1, 1, 1), computed);
    assertEquals(0, new Evaluation(EvalFixtures.settings(model, dataset, out, 6, 1), null)
        .run(EvalListener.none()).computed());
    assertSameTables(full, out);
  }

  @Test
  void otherSettingsAreRefused() throws Exception {
    Path out = tmp.resolve("refuse");
    new Evaluation(EvalFixtures.settings(model, dataset, out, 2, 1), null).run(EvalListener.none());
    var e = assertThrows(dev.srtune.UserInputException.class,
        () -> new Evaluation(EvalFixtures.settings(model, dataset, out, 3, null), null).run(EvalListener.none()));
    assertTrue(e.getMessage().contains("max_iterations"), e.getMessage());
  }

  /** A plain stand-in for LPIPS (mean absolute difference), enough to check where PS values come from. */
  static final PerceptualDistance MEAN_ABS = new PerceptualDistance() {
    @Override
    public String describe() {
      return "mean absolute difference";
    }

    @Override
    public Double between(RgbImage sr, RgbImage hr) {
      double sum = 0;
      for (int i = 0; i < sr.data().length; i++) {
        sum += Math.abs(sr.data()[i] - hr.data()[i]);
      }
      return sum / sr.data().length;
    }
  };

  /** PS measured during the run equals PS filled in later from the stored outputs, without fine-tuning again. */
  @Test
  void perceptualColumnsAreMeasuredOrFilledInLater() throws Exception {
    Path withPs = tmp.resolve("with-ps");
    Evaluation.Outcome measured = new Evaluation(EvalFixtures.settings(model, dataset, withPs, 6, null), MEAN_ABS)
        .run(EvalListener.none());
    Path later = tmp.resolve("ps-later");
    new Evaluation(EvalFixtures.settings(model, dataset, later, 6, null), null).run(EvalListener.none());
    FileTime sr = Files.getLastModifiedTime(new ResultStore(later).imageDir("beta").resolve("sr.png"));
    Evaluation.Outcome filled = new Evaluation(EvalFixtures.settings(model, dataset, later, 6, null), MEAN_ABS)
        .run(EvalListener.none());
    assertEquals(0, filled.computed(), "no image fine-tuned again");
    assertEquals(sr, Files.getLastModifiedTime(new ResultStore(later).imageDir("beta").resolve("sr.png")));
    for (int i = 0; i < 3; i++) {
      ImageResult a = measured.results().get(i);
      ImageResult b = filled.results().get(i);
      assertNotNull(a.end().lpips());
      assertEquals(a.bicubic().lpips(), b.bicubic().lpips(), 1e-12);
      assertEquals(a.start().lpips(), b.start().lpips(), 1e-12);
      assertEquals(a.end().lpips(), b.end().lpips(), 1e-12);
      RgbImage hr = ImageFiles.read(dataset.resolve(a.name() + ".png")).modcrop(2);
      RgbImage end = ImageFiles.read(new ResultStore(withPs).imageDir(a.name()).resolve("sr.png"));
      assertEquals(MEAN_ABS.between(end, hr), a.end().lpips(), 1e-12);
    }
    assertTrue(Files.readString(later.resolve("results.md")).contains("mean absolute difference"));
    assertSameTables(withPs, later);
  }

  /** The tables of two runs agree: identical rows except the timing columns. */
  static void assertSameTables(Path expected, Path actual) throws Exception {
    List<String> a = Files.readAllLines(expected.resolve("results.csv"));
    List<String> b = Files.readAllLines(actual.resolve("results.csv"));
    assertEquals(a.size(), b.size());
    int seconds = EvalReport.CSV_COLUMNS.indexOf("seconds");
    for (int i = 0; i < a.size(); i++) {
      String[] x = a.get(i).split(",", -1);
      String[] y = b.get(i).split(",", -1);
      for (int c = 0; c < x.length; c++) {
        if (c != seconds) {
          assertEquals(x[c], y[c], "row " + i + " column " + EvalReport.CSV_COLUMNS.get(c));
        }
      }
    }
    String paperA = Files.readString(expected.resolve("results.md")).lines().filter(l -> l.startsWith("| Tiny"))
        .findFirst().orElseThrow();
    String paperB = Files.readString(actual.resolve("results.md")).lines().filter(l -> l.startsWith("| Tiny"))
        .findFirst().orElseThrow();
    assertEquals(paperA, paperB);
    assertNotNull(JsonParser.parseString(Files.readString(actual.resolve("results.json"))));
  }
}
