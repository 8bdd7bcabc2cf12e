package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.NoiseLevel;
import dev.srtune.testing.Shared;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The noise level read from an image, and the discrepancy principle that stops at it. */
class NoiseStopTest {

  private static RgbImage noisy(RgbImage clean, double sigma, long seed) {
    Random r = new Random(seed);
    float[] d = clean.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] += (float) (sigma * r.nextGaussian());
    }
    return new RgbImage(clean.height(), clean.width(), d);
  }

  @Test
  void readsTheNoiseAddedToAPhoto() {
    RgbImage clean = ImageFiles.read(Shared.path("datasets/Set5/baby.png"));
    double base = NoiseLevel.estimate(clean);
    assertTrue(base < 2.0 / 255, "a clean photo reads " + base * 255 + "/255");
    // Within 10% down (the noise realisation of the weakest patches) to 20% up (texture that leaks in).
    for (double s255 : new double[] {5, 10, 20}) {
      double est = NoiseLevel.estimate(noisy(clean, s255 / 255, 3)) * 255;
      assertTrue(est >= 0.9 * s255 && est <= 1.2 * s255, "sigma " + s255 + " read as " + est);
    }
  }

  private static IterationRecord record(int t, double rms) {
    double mse = rms * rms;
    return new IterationRecord(t, mse, IterationRecord.psnrFromMse(mse), Map.of(), t);
  }

  @Test
  void stopsAtTheNoiseLevelAndDefersAboveIt() {
    StopRule never = StopRule.none();
    DiscrepancyStopRule rule = new DiscrepancyStopRule(10 / 255.0, 1, never);
    assertEquals(Optional.empty(), rule.check(List.of(record(0, 30 / 255.0), record(10, 10.5 / 255.0))));
    assertEquals(Optional.of(DiscrepancyStopRule.REASON),
        rule.check(List.of(record(0, 30 / 255.0), record(10, 9.9 / 255.0))));
    // The pretrained network within the noise level (it made texture of the noise) does not stop the run.
    assertEquals(Optional.empty(), rule.check(List.of(record(0, 9 / 255.0))));
    // Above the noise level the plateau rule decides, and its metric is what keep-best and the progress line read.
    PlateauStopRule plateau = PlateauStopRule.lrPsnr(0.04, 10);
    DiscrepancyStopRule withPlateau = new DiscrepancyStopRule(1 / 255.0, 1, plateau);
    List<IterationRecord> flat = List.of(record(0, 20 / 255.0), record(10, 20 / 255.0), record(20, 20 / 255.0));
    assertEquals(plateau.check(flat), withPlateau.check(flat));
    assertEquals(Optional.of(plateau), withPlateau.plateau());
  }
}
