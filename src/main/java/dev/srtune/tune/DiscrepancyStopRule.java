package dev.srtune.tune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Morozov's discrepancy principle in front of another rule: stop once the whole-image LR residual's RMS,
 * √‖A f(y) − y‖²/n, is down to τ·σ, the noise level of y, at a measurement after the first step. Fitting further
 * fits the noise. Until then the other rule (the LR-PSNR plateau) decides.
 *
 * @param sigma noise standard deviation of y on the [0,1] scale (e.g. {@link dev.srtune.metrics.NoiseLevel})
 * @param tau how close to σ the residual may come (1: the principle as stated)
 * @param then the rule that decides while the residual is above τ·σ
 */
public record DiscrepancyStopRule(double sigma, double tau, StopRule then) implements StopRule {
  public static final double TAU_DEFAULT = 1.0;
  public static final String REASON = "lr_residual_at_noise_level";

  public DiscrepancyStopRule {
    if (!(sigma >= 0) || !(tau > 0) || then == null) {
      throw new IllegalArgumentException("the discrepancy rule needs sigma >= 0, tau > 0 and a rule after it");
    }
  }

  @Override
  public Optional<String> check(List<IterationRecord> history) {
    // Not on the pretrained network's own record: on a noisy LR it may already sit within the noise level (it
    // turns the noise into texture whose downscaling matches y), and stopping there would return it unchanged.
    IterationRecord last = history.isEmpty() ? null : history.get(history.size() - 1);
    if (last != null && last.iteration() > 0 && Math.sqrt(last.loss()) <= tau * sigma) {
      return Optional.of(REASON);
    }
    return then.check(history);
  }

  @Override
  public Optional<String> requiredMetric() {
    return then.requiredMetric();
  }

  @Override
  public Optional<PlateauStopRule> plateau() {
    return then.plateau();
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "lr residual RMS <= %.3g x noise sigma %.4g (%.2f/255), else %s", tau, sigma,
        sigma * 255, then.describe());
  }

  /** What report.json records of the noise level. */
  public Map<String, Object> report() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sigma", sigma);
    m.put("sigma_255", sigma * 255);
    m.put("tau", tau);
    m.put("estimator", "median |finest diagonal Haar coefficients| / 0.6745 over the 20% least-detailed 8x8 "
        + "patches not near black or white, mean over RGB (NoiseLevel)");
    return m;
  }
}
