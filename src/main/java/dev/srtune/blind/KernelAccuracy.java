package dev.srtune.blind;

import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.Blur;
import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.graph.degradation.BlurredDegradation;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How good a kernel estimate is when the truth is known (experiments, tests): the {@link KernelError} against the
 * true kernel, and the PSNR between the LR the HR image gives with the estimate and the LR it gives with the true
 * kernel (both made as {@code srtune degrade} makes LR files: 8-bit, D after the blur), next to the same PSNR for
 * no blur at all (D alone), the error a method that ignores the blur makes.
 *
 * @param error kernel error against the truth
 * @param lrPsnr PSNR (RGB, [0,1], no shave) of the LR re-made with the estimate against the true LR
 * @param lrPsnrNoBlur the same for D alone
 */
public record KernelAccuracy(KernelError error, double lrPsnr, double lrPsnrNoBlur) {

  /** Measures {@code estimate} against {@code truth}; {@code hr} may be null (then both PSNRs are NaN). */
  public static KernelAccuracy measure(BlurKernel estimate, BlurKernel truth, RgbImage hr, Degradation downsampler) {
    KernelError e = KernelError.between(estimate, truth);
    if (hr == null) {
      return new KernelAccuracy(e, Double.NaN, Double.NaN);
    }
    RgbImage trueLr = LrSynthesis.asDegradeWrites(hr, new BlurredDegradation(new Blur(truth), downsampler));
    RgbImage estLr = LrSynthesis.asDegradeWrites(hr, new BlurredDegradation(new Blur(estimate), downsampler));
    RgbImage plain = LrSynthesis.asDegradeWrites(hr, downsampler);
    return new KernelAccuracy(e, Psnr.rgb(estLr, trueLr), Psnr.rgb(plain, trueLr));
  }

  /** What a JSON report records. */
  public Map<String, Object> describe(String truthSpec) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("true_kernel", truthSpec);
    m.put("normalised_l2", KernelOutputs.round(error.normalisedL2()));
    m.put("normalised_l2_unshifted", KernelOutputs.round(error.unshiftedL2()));
    m.put("best_shift", new int[] {error.shiftY(), error.shiftX()});
    if (!Double.isNaN(lrPsnr)) {
      m.put("lr_psnr_resynthesised", KernelOutputs.round(lrPsnr));
      m.put("lr_psnr_no_blur", KernelOutputs.round(lrPsnrNoBlur));
    }
    m.put("definition", "normalised_l2 = |shift(k_est) - k_true|_2 / |k_true|_2 at the best integer shift within "
        + "+-" + KernelError.MAX_SHIFT + "; lr_psnr_resynthesised = PSNR (RGB, [0,1], no shave) of D(k_est * HR) vs "
        + "D(k_true * HR), both 8-bit as srtune degrade writes them; lr_psnr_no_blur the same for D(HR)");
    return m;
  }
}
