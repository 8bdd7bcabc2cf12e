package dev.srtune.tune.loss;

import dev.srtune.uncertainty.McDropoutSettings;
import dev.srtune.uncertainty.UncertaintyEstimate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.op.Ops;

/**
 * {@code --mask variance[:QUANTILE]} before the pretrained network's variance map exists: a data-fidelity term that
 * {@link dev.srtune.tune.TuneJob} turns into a {@link WeightedDataFidelity} ({@link #resolve}) once it has computed
 * the map with {@link #dropout} on the model as loaded, before any fine-tuning. Building it unresolved is a bug.
 *
 * @param quantile null for soft weights, else the hard mask's quantile (see {@link LrWeights#fromHrVariance})
 * @param dropout how the variance map is made
 */
public record VarianceMask(Double quantile, McDropoutSettings dropout) implements LossTerm {

  /** {@code variance} or {@code variance:Q}. */
  public static VarianceMask parse(String spec, McDropoutSettings dropout) {
    String s = spec.trim();
    if (s.equals("variance")) {
      return new VarianceMask(null, dropout);
    }
    if (s.startsWith("variance:")) {
      try {
        double q = Double.parseDouble(s.substring("variance:".length()));
        if (q >= 0 && q < 1) {
          return new VarianceMask(q, dropout);
        }
      } catch (NumberFormatException ignored) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException("Unknown --mask '" + spec + "'; use variance (soft weights) or "
        + "variance:Q with Q in [0,1) (a hard mask on the most uncertain 1-Q of the LR pixels), e.g. variance:0.9.");
  }

  /** The weighted term for the pretrained network's map {@code pretrained} at the given scale. */
  public WeightedDataFidelity resolve(UncertaintyEstimate pretrained, int scale) {
    return new WeightedDataFidelity(LrWeights.fromHrVariance(pretrained.variance(), pretrained.height(),
        pretrained.width(), scale, quantile), spec().substring("mask:".length()));
  }

  @Override
  public Built build(Ops tf, Inputs in) {
    throw new IllegalStateException("a variance mask must be resolved with the pretrained network's variance map "
        + "before the loop is built (TuneJob does this)");
  }

  @Override
  public boolean dataFidelity() {
    return true;
  }

  @Override
  public String spec() {
    return "mask:variance" + (quantile == null ? "" : ":" + quantile);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("term", spec());
    m.put("unresolved", true);
    return m;
  }
}
