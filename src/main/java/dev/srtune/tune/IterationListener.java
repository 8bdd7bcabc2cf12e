package dev.srtune.tune;

/** Told about every iteration, e.g. to print a progress line. */
@FunctionalInterface
public interface IterationListener {
  void onIteration(IterationRecord record, int maxIterations);

  /** The arithmetic the session runs in (fp32 or bf16), once the model is loaded, before the first iteration. */
  default void onPrecision(dev.srtune.model.Precision ran) {}

  /** The run's plan (its length, rate and cadence; with a time budget, how it is spent), before the first iteration. */
  default void onPlan(RunPlan plan) {}

  /** f_ψt(y) at iteration t, when the run was asked for outputs. */
  default void onOutput(int iteration, dev.srtune.image.RgbImage sr) {}

  /**
   * This listener, also putting the HR-PSNR (RGB, 8-bit output) of every output f_ψt(y) into {@code curve} under its
   * iteration; outputs come only when the run is asked for them, so with {@code hr} null none arrive.
   */
  default IterationListener recordingHrPsnr(dev.srtune.image.RgbImage hr, java.util.Map<Integer, Double> curve) {
    IterationListener self = this;
    return new IterationListener() {
      @Override
      public void onIteration(IterationRecord record, int max) {
        self.onIteration(record, max);
      }

      @Override
      public void onPrecision(dev.srtune.model.Precision ran) {
        self.onPrecision(ran);
      }

      @Override
      public void onPlan(RunPlan plan) {
        self.onPlan(plan);
      }

      @Override
      public void onOutput(int iteration, dev.srtune.image.RgbImage sr) {
        curve.put(iteration, dev.srtune.metrics.Psnr.rgb(sr.quantized8(), hr));
      }
    };
  }

  static IterationListener none() {
    return (r, max) -> {};
  }
}
