package dev.srtune.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.UserInputException;
import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import dev.srtune.testing.Shared;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.IterationListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ZSSR on a real Set5 crop: it learns (its reconstruction error falls), it helps, and a seed fixes the run. */
@Tag("integration")
class ZssrTest {
  static final Degradation X2 = Degradations.downsampler("bicubic", 2);

  /** butterfly's 96x96 centre, and its x2 LR as srtune degrade makes it. */
  static RgbImage[] butterfly() {
    RgbImage hr = ImageFiles.read(Shared.path("datasets/Set5/butterfly.png")).crop(80, 80, 96, 96);
    return new RgbImage[] {hr, LrSynthesis.asDegradeWrites(hr, X2)};
  }

  @Test
  void learnsFromTheLrAloneAndBeatsBicubic() {
    RgbImage[] p = butterfly();
    ZssrSettings s = ZssrSettings.published().withLimits(150, null).withCropSize(48);
    long t0 = System.nanoTime();
    FineTuneResult r = new Zssr(s).run(p[1], X2, IterationListener.none(), 0);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double recStart = r.startRecord().metric("reconstruction_psnr");
    double recEnd = r.curve().get(r.curve().size() - 1).metric("reconstruction_psnr");
    double bicubic = Psnr.rgb(LrSynthesis.bicubicUpscale8bit(p[1], 2), p[0]);
    double start = Psnr.rgb(r.start().quantized8(), p[0]);
    double end = Psnr.rgb(r.result().quantized8(), p[0]);
    System.out.printf("ZSSR 150 it. %.1f s: reconstruction %.2f -> %.2f dB, LR-PSNR %.2f -> %.2f, HR %.2f -> %.2f "
        + "(bicubic %.2f)%n", seconds, recStart, recEnd, r.startRecord().lrPsnr(), r.finalRecord().lrPsnr(), start,
        end, bicubic);
    assertEquals(150, r.iterations());
    assertTrue(recEnd > recStart + 3, "reconstruction " + recStart + " -> " + recEnd);
    assertTrue(r.finalRecord().lrPsnr() > r.startRecord().lrPsnr(), "LR consistency improves");
    assertTrue(end > bicubic, "HR-PSNR " + end + " vs bicubic " + bicubic);
    assertEquals(p[0].height(), r.result().height());
  }

  @Test
  void oneSeedOneRun() {
    RgbImage lr = butterfly()[1];
    ZssrSettings s = ZssrSettings.published().withLimits(6, null).withCropSize(32).withEnsemble(false, 2);
    FineTuneResult a = new Zssr(s.withSeed(3)).run(lr, X2, IterationListener.none(), 0);
    FineTuneResult b = new Zssr(s.withSeed(3)).run(lr, X2, IterationListener.none(), 0);
    FineTuneResult c = new Zssr(s.withSeed(4)).run(lr, X2, IterationListener.none(), 0);
    assertArrayEquals(a.result().data(), b.result().data());
    assertTrue(!java.util.Arrays.equals(a.result().data(), c.result().data()), "another seed, another run");
  }

  @Test
  void refusesAnImageTooSmallForItsPairs() {
    RgbImage lr = RgbImage.zeros(12, 40);
    UserInputException e = assertThrows(UserInputException.class,
        () -> new Zssr(ZssrSettings.published()).run(lr, X2, IterationListener.none(), 0));
    assertTrue(e.getMessage().contains("needs at least 16x16"), e.getMessage());
  }
}
