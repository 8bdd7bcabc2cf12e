package dev.srtune.blind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.BicubicDownsampler;
import dev.srtune.graph.degradation.Blur;
import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.graph.degradation.BlurredDegradation;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Shared;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The estimator on a real image with a known kernel: Set5 butterfly blurred with an anisotropic Gaussian and
 * downscaled ×2 as {@code srtune degrade} does (8-bit), the kernel estimated from the LR alone with the default
 * settings on a shorter budget (200 steps instead of 300, to keep the test run short). The estimate must be a
 * valid kernel, within a normalised L2 error of {@value #MAX_ERROR} of the truth (measured: 0.296), a quarter closer
 * than its isotropic start (0.460), and re-make the LR from the HR at more than {@value #MIN_LR_PSNR} dB against
 * the true LR (measured: 33.4 dB; D alone, ignoring the blur: 22.5 dB).
 */
@Tag("integration")
class BlindKernelEstimatorTest {
  static final double MAX_ERROR = 0.35;
  static final double MIN_LR_PSNR = 30;

  @Test
  void recoversAKnownGaussian() {
    RgbImage hr = ImageFiles.read(Shared.path("datasets/Set5/butterfly.png"));
    BlurKernel truth = BlurKernel.anisotropicGaussian(15, 2.4, 0.9, 120);
    RgbImage lr = LrSynthesis.asDegradeWrites(hr, new BlurredDegradation(new Blur(truth),
        BicubicDownsampler.matlab(2)));
    BlindKernelEstimator quick = BlindKernelEstimator.defaults(15, 2).withSteps(200, 64);
    BlindKernelEstimator.Estimate e = quick.estimate(lr, 2, "kernel:test");
    BlurKernel k = e.kernel();
    double sum = 0;
    for (double v : k.values()) {
      assertTrue(v >= 0);
      sum += v;
    }
    assertEquals(1, sum, 1e-9);
    KernelAccuracy a = KernelAccuracy.measure(k, truth, hr.modcrop(2), BicubicDownsampler.matlab(2));
    double start = KernelError.between(BlurKernel.gaussian(15, quick.initialSigma()), truth).normalisedL2();
    System.out.printf("estimate: error %.3f (start %.3f), LR re-made %.2f dB (no blur %.2f dB), %.1f s%n",
        a.error().normalisedL2(), start, a.lrPsnr(), a.lrPsnrNoBlur(), e.seconds());
    assertTrue(a.error().normalisedL2() < MAX_ERROR, "error " + a.error().normalisedL2());
    assertTrue(a.error().normalisedL2() < 0.75 * start, "error " + a.error().normalisedL2() + " vs start " + start);
    assertTrue(a.lrPsnr() > MIN_LR_PSNR, "LR re-made at " + a.lrPsnr() + " dB");
    assertTrue(a.lrPsnr() > a.lrPsnrNoBlur() + 5, a.lrPsnr() + " vs no blur " + a.lrPsnrNoBlur());
  }
}
