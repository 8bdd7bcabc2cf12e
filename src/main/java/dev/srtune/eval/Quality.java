package dev.srtune.eval;

import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import dev.srtune.metrics.Ssim;

/**
 * How close one SR image is to the HR ground truth, in the conventions the tables name. A null field was not
 * measured (e.g. LPIPS without its weights).
 *
 * @param psnrRgb PSNR on RGB [0,1] of the 8-bit-rounded output, all pixels, no shave (srtune's default)
 * @param psnrY PSNR on Y (MATLAB rgb2ycbcr) of the 8-bit-rounded images, {@code shave} pixels removed per border
 * @param ssimY SSIM (Wang et al. 2004) on the same Y planes
 * @param lpips LPIPS v0.1 distance to the HR image (backbone named in the tables)
 */
public record Quality(Double psnrRgb, Double psnrY, Double ssimY, Double lpips) {

  /** PSNR (RGB and Y) and SSIM of {@code sr} against {@code hr}; LPIPS as given (measured elsewhere). */
  public static Quality measure(RgbImage hr, RgbImage sr, int shave, Double lpips) {
    RgbImage saved = sr.quantized8();
    return new Quality(Psnr.rgb(saved, hr), Psnr.y(hr, saved, shave), Ssim.y(hr, saved, shave), lpips);
  }

  public Quality withLpips(Double value) {
    return new Quality(psnrRgb, psnrY, ssimY, value);
  }
}
