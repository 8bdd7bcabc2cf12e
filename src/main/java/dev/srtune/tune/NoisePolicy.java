package dev.srtune.tune;

import dev.srtune.UserInputException;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.NoiseLevel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whether fine-tuning stops at the LR's noise level ({@code --noise}): {@code none} leaves the stop rule alone,
 * {@code auto} puts the discrepancy principle ({@link DiscrepancyStopRule}) in front of it with σ estimated from the
 * LR ({@link NoiseLevel}), a number gives σ on the 0..255 scale.
 *
 * @param sigma255 the given σ on the 0..255 scale, NaN for {@code auto}, negative for {@code none}
 */
public record NoisePolicy(double sigma255) {
  public static final NoisePolicy NONE = new NoisePolicy(-1);
  public static final NoisePolicy AUTO = new NoisePolicy(Double.NaN);

  /** {@code none}, {@code auto} or σ on the 0..255 scale; one sentence for anything else. */
  public static NoisePolicy parse(String s) {
    String v = s == null ? "none" : s.trim().toLowerCase(Locale.ROOT);
    if (v.equals("none")) {
      return NONE;
    }
    if (v.equals("auto")) {
      return AUTO;
    }
    try {
      double sigma = Double.parseDouble(v);
      if (sigma >= 0 && !Double.isInfinite(sigma)) {
        return new NoisePolicy(sigma);
      }
    } catch (NumberFormatException e) {
      // falls through to the sentence below
    }
    throw new UserInputException("--noise must be none, auto or a noise level on the 0..255 scale such as 5, not '"
        + s + "'.");
  }

  /** {@code none}, {@code auto} or σ on the 0..255 scale, as the command line gives it. */
  public String spec() {
    return sigma255 < 0 ? "none" : Double.isNaN(sigma255) ? "auto" : String.format(Locale.ROOT, "%s", sigma255);
  }

  /** The options for the LR {@code y}: {@code o} itself, or with the discrepancy principle in front of its rule. */
  public ImageDecision decide(FineTuneOptions o, RgbImage y) {
    if (sigma255 < 0) {
      return new ImageDecision(o, null);
    }
    boolean estimated = Double.isNaN(sigma255);
    double sigma = estimated ? NoiseLevel.estimate(y) : sigma255 / 255;
    DiscrepancyStopRule rule = new DiscrepancyStopRule(sigma, DiscrepancyStopRule.TAU_DEFAULT, o.stopRule());
    Map<String, Object> m = new LinkedHashMap<>(rule.report());
    m.put("sigma_from", estimated ? "estimated from the LR" : "given");
    return new ImageDecision(o.withStopRule(rule).named(o.name()), m);
  }
}
