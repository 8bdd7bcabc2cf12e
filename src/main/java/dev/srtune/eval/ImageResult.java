package dev.srtune.eval;

import java.util.List;

/**
 * Everything the tables need about one evaluated image; stored as {@code images/<name>/result.json}, whose
 * presence marks the image as finished.
 *
 * @param name the HR file name without extension
 * @param hrSize the modcropped HR size {height, width}
 * @param lrSize the LR size {height, width}
 * @param bicubic MATLAB bicubic enlargement of the LR image
 * @param start the pretrained network f_θ(y)
 * @param end the fine-tuned network f_ψ̂(y)
 * @param lrLpipsStart LPIPS of A f(y) vs y before fine-tuning, when it was recorded (null otherwise)
 * @param seconds wall time of the fine-tuning loop
 * @param curve LR-PSNR every iteration and HR-PSNR where measured
 */
public record ImageResult(String name, int[] hrSize, int[] lrSize, Quality bicubic, Quality start, Quality end,
    double lrPsnrStart, double lrPsnrEnd, Double lrLpipsStart, Double lrLpipsEnd, int iterations, String stopReason,
    double seconds, List<CurvePoint> curve) {

  public ImageResult {
    curve = curve == null ? List.of() : List.copyOf(curve);
  }

  public long lrPixels() {
    return (long) lrSize[0] * lrSize[1];
  }
}
