package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.model.UpscalerJsModels;
import dev.srtune.testing.Npm;
import dev.srtune.testing.Shared;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning works on imported TF.js models (every op the importer emits has a gradient): ESRGAN slim ×4, built
 * for ×2 by changing its nearest-neighbour upsampling, gains HR-PSNR on Set5 bird after 100 iterations of Eq. 1
 * with the bicubic operator (α = 0.01, μ = 0.9). Minutes on 2 cores, hence "slow".
 */
@Tag("slow")
@Tag("integration")
@Tag("npm")
class EsrganSlimFineTuneTest {
  static final int ITERATIONS = 100;
  @TempDir Path tmp;

  @Test
  void slimX4AtX2GainsHrPsnrOnSet5Bird() throws Exception {
    Path hrFile = Shared.path("datasets/Set5/bird.png");
    Path pkg = Npm.packageDir(UpscalerJsModels.ESRGAN_SLIM);
    Path model = tmp.resolve("esrgan-slim-x4-at-x2");
    UpscalerJsModels.build(pkg, "x4", 2, 0, model);
    Degradation a = Degradations.downsampler("bicubic", 2);
    RgbImage hr = ImageFiles.read(hrFile).modcrop(2);
    RgbImage lr = LrSynthesis.degrade8bit(hr, a);
    FineTuneOptions o = FineTuneOptions.defaults(a).withMaxIterations(ITERATIONS).withStopRule(StopRule.none());
    TuneJob.Outcome res = new TuneJob(model, null, lr, hr, 2, o, tmp.resolve("out"), null, 0,
        IterationListener.none()).execute();
    System.out.printf(Locale.ROOT, "ESRGAN slim x4 at x2 on Set5 bird, %d iterations: HR-PSNR %.3f -> %.3f dB, "
        + "LR-PSNR %.3f -> %.3f dB, %.2f s/iteration%n", res.result().iterations(), res.hrPsnrStart(),
        res.hrPsnrEnd(), res.result().startRecord().lrPsnr(), res.result().finalRecord().lrPsnr(),
        res.result().secondsPerIteration());
    assertTrue(res.hrPsnrEnd() > res.hrPsnrStart() + 0.1, "HR-PSNR " + res.hrPsnrStart() + " -> " + res.hrPsnrEnd());
  }
}
