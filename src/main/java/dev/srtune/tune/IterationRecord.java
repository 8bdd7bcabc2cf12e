package dev.srtune.tune;

import java.util.Map;

/**
 * One point of the fine-tuning curve: the state ψ_t before the t-th update. {@code lrPsnr} is the PSNR of
 * A f_ψt(y) against y ([0,1], RGB, no shave); {@code metrics} holds any extra LR metrics (e.g. lr_lpips).
 */
public record IterationRecord(int iteration, double loss, double lrPsnr, Map<String, Double> metrics,
    double elapsedSeconds) {

  /** The value of a named metric: {@code lr_psnr}, {@code loss}, or one of {@link #metrics()}. */
  public double metric(String name) {
    return switch (name) {
      case "lr_psnr" -> lrPsnr;
      case "loss" -> loss;
      default -> {
        Double v = metrics.get(name);
        if (v == null) {
          throw new IllegalArgumentException("metric " + name + " is not recorded; have " + metrics.keySet());
        }
        yield v;
      }
    };
  }

  public static double psnrFromMse(double mse) {
    return mse <= 0 ? Double.POSITIVE_INFINITY : -10 * Math.log10(mse);
  }
}
