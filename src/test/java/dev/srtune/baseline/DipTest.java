package dev.srtune.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.UserInputException;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.IterationListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Deep Image Prior on a real Set5 crop, at a reduced width and depth (building the training graph of the published
 * 5-level hourglass takes 1-2 minutes in TF Java here): it fits y through A, and a seed fixes the run.
 */
@Tag("integration")
class DipTest {
  @Test
  void fitsTheLrThroughTheOperator() {
    RgbImage[] p = ZssrTest.butterfly();
    RgbImage hr = p[0].crop(16, 16, 64, 64);
    p = new RgbImage[] {hr, dev.srtune.degrade.LrSynthesis.asDegradeWrites(hr, ZssrTest.X2)};
    DipSettings s = DipSettings.published().withWidth(8).withScales(2).withLimits(30, null);
    long t0 = System.nanoTime();
    FineTuneResult r = new Dip(s).run(p[1], ZssrTest.X2, IterationListener.none(), 0);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double start = Psnr.rgb(r.start().quantized8(), p[0]);
    double end = Psnr.rgb(r.result().quantized8(), p[0]);
    System.out.printf("DIP width 8, 2 scales, 30 it. %.1f s: LR-PSNR %.2f -> %.2f dB, HR %.2f -> %.2f%n", seconds,
        r.startRecord().lrPsnr(), r.finalRecord().lrPsnr(), start, end);
    assertEquals(30, r.iterations());
    assertEquals(p[0].height(), r.result().height());
    assertTrue(r.finalRecord().lrPsnr() > r.startRecord().lrPsnr() + 6, "LR-PSNR "
        + r.startRecord().lrPsnr() + " -> " + r.finalRecord().lrPsnr());
    assertTrue(end > start + 6, "HR-PSNR " + start + " -> " + end);
  }

  @Test
  void oneSeedOneRun() {
    RgbImage lr = ZssrTest.butterfly()[1].crop(0, 0, 32, 32);
    DipSettings s = DipSettings.published().withWidth(4).withScales(1).withLimits(3, null);
    FineTuneResult a = new Dip(s.withSeed(5)).run(lr, ZssrTest.X2, IterationListener.none(), 0);
    FineTuneResult b = new Dip(s.withSeed(5)).run(lr, ZssrTest.X2, IterationListener.none(), 0);
    FineTuneResult c = new Dip(s.withSeed(6)).run(lr, ZssrTest.X2, IterationListener.none(), 0);
    assertArrayEquals(a.result().data(), b.result().data());
    assertTrue(!java.util.Arrays.equals(a.result().data(), c.result().data()), "another seed, another run");
  }

  @Test
  void refusesATinyImage() {
    UserInputException e = assertThrows(UserInputException.class, () -> new Dip(DipSettings.published())
        .run(RgbImage.zeros(5, 30), ZssrTest.X2, IterationListener.none(), 0));
    assertTrue(e.getMessage().contains("needs at least 8x8"), e.getMessage());
  }
}
