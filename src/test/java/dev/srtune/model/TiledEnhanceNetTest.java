package dev.srtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.UserInputException;
import dev.srtune.graph.enhancenet.EnhanceNetImporter;
import dev.srtune.graph.savedmodel.SrSignature;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Arrays2;
import dev.srtune.testing.Shared;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Output;
import org.tensorflow.types.TFloat32;

/** Tiled EnhanceNet ×4 against the whole-image pass on a Set5 image, with the field and memory it measures. */
@Tag("integration")
class TiledEnhanceNetTest {
  static final int SCALE = 4;
  @TempDir static Path tmp;
  static SrModel model;
  static Output<TFloat32> lr;
  static Output<TFloat32> sr;
  static ReceptiveField field;

  @SuppressWarnings("unchecked")
  @BeforeAll
  static void load() throws Exception {
    Path dir = tmp.resolve("enet-x4");
    EnhanceNetImporter.build(Shared.enhanceNetCheckpoint(), SCALE, dir);
    model = SrModel.load(dir);
    lr = (Output<TFloat32>) (Output<?>) model.bundle().graph().operation(SrSignature.INPUT).output(0);
    sr = (Output<TFloat32>) (Output<?>) model.bundle().graph().operation(SrSignature.OUTPUT).output(0);
    long t0 = System.nanoTime();
    field = ReceptiveField.measure(model.bundle().session(), lr, sr, SCALE);
    System.out.printf("EnhanceNet x4: %s, measured in %.2f s, response %s%n", field, (System.nanoTime() - t0) / 1e9,
        java.util.Arrays.toString(field.response()));
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  /** 21 3×3 convs at LR (21), one 3×3 conv at ×2 and three at ×4 (+1.25, rounded up: 2 more LR pixels). */
  @Test
  void fieldIsWhatTheArchitectureSays() {
    assertEquals(23, field.support());
    assertFalse(field.truncated());
    assertTrue(field.margin() >= 10 && field.margin() < 23, "margin " + field.margin());
  }

  /** A 150×190 crop of Set5 bird as the LR input: not a multiple of the core, so edge tiles are uneven. */
  @Test
  void tiledAgreesWithWholeImageWithinOneLevel() {
    RgbImage y = ImageFiles.read(Shared.path("datasets/Set5/bird.png")).crop(60, 40, 150, 190);
    TiledInference run = new TiledInference(model.bundle().session(), lr, sr, SCALE, field.margin(),
        new MemoryEstimate(0, 1), Long.MAX_VALUE);
    run.superResolve(y.crop(0, 0, 32, 32)); // warm up kernels
    long t0 = System.nanoTime();
    RgbImage whole = run.superResolve(y, Tiling.whole(150, 190));
    double wholeSeconds = (System.nanoTime() - t0) / 1e9;
    Tiling plan = Tiling.plan(150, 190, 64, field.margin());
    t0 = System.nanoTime();
    RgbImage tiled = run.superResolve(y, plan);
    double tiledSeconds = (System.nanoTime() - t0) / 1e9;
    double err = Arrays2.maxAbsDiff(whole.data(), tiled.data());
    RgbImage exact = run.superResolve(y, Tiling.plan(150, 190, 64, field.support()));
    double exactErr = Arrays2.maxAbsDiff(whole.data(), exact.data());
    RgbImage tooSmall = run.superResolve(y, Tiling.plan(150, 190, 64, 4));
    double tooSmallErr = Arrays2.maxAbsDiff(whole.data(), tooSmall.data());
    System.out.printf("EnhanceNet x4 on 150x190: whole %.2f s; %d tiles (core 64, margin %d, overhead %.2f) %.2f s,"
        + " max abs diff %.3g (%.3f levels); margin %d: %.3g; margin 4: %.3g%n", wholeSeconds, plan.tiles().size(),
        field.margin(), plan.overhead(), tiledSeconds, err, err * 255, field.support(), exactErr, tooSmallErr);
    assertTrue(err <= 1.0 / 255, "tiled vs whole at the default margin: " + err);
    assertTrue(exactErr <= 1e-4, "tiled vs whole at the full support: " + exactErr);
    assertTrue(tooSmallErr > 1.0 / 255, "a margin of 4 must leave seams: " + tooSmallErr);
  }

  /**
   * The estimate against the architecture: at ×4 the largest tensors are 64-channel maps at 16 output pixels per LR
   * pixel (4 KB each), and a conv at ×4 reads one while it writes the next: two are alive at the peak.
   */
  @Test
  void memoryEstimateMatchesTheLargestLiveTensors() {
    long a = MemoryEstimate.tracedPeak(model.bundle().session(), lr, sr, 64);
    long b = MemoryEstimate.tracedPeak(model.bundle().session(), lr, sr, 128);
    double traced = (b - a) / (128.0 * 128 - 64 * 64);
    MemoryEstimate m = MemoryEstimate.measure(model.bundle().session(), lr, sr, SCALE);
    double architecture = 2 * 64 * 16 * 4;
    System.out.printf("EnhanceNet x4 memory: traced %.0f B per LR pixel between 64² and 128² (architecture: %.0f); "
        + "estimate %s%n", traced, architecture, m);
    assertTrue(traced >= 0.9 * architecture && traced < 1.5 * architecture, traced + " bytes per LR pixel");
    assertTrue(m.bytesPerPixel() >= MemoryEstimate.RSS_FACTOR * 0.9 * architecture, m.toString());

    // A budget of one 100x100 pass tiles a 150x190 image, and the tiles still agree with the whole.
    RgbImage y = ImageFiles.read(Shared.path("datasets/Set5/bird.png")).crop(100, 50, 120, 150);
    TiledInference run = new TiledInference(model.bundle().session(), lr, sr, SCALE, field.margin(), m,
        m.bytes(100, 100));
    Tiling plan = run.plan(y);
    assertTrue(plan.tiles().size() > 1 && plan.largestWindow() <= 100, plan.tiles().size() + " tiles");
    assertEquals(run.withBudget(m.bytes(120, 150)).plan(y).tiles().size(), 1, "fits whole");
    double err = Arrays2.maxAbsDiff(run.superResolve(y, Tiling.whole(120, 150)).data(), run.superResolve(y).data());
    assertTrue(err <= 1.0 / 255, "auto-tiled vs whole: " + err);
    UserInputException e = assertThrows(UserInputException.class, () -> run.withBudget(m.bytes(40, 40)).plan(y));
    System.out.println(e.getMessage());
  }
}
