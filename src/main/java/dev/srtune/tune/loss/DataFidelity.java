package dev.srtune.tune.loss;

import dev.srtune.graph.train.DataFidelityLoss;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.op.Ops;

/**
 * The paper's data-fidelity term ‖A f(y) − y‖² (mean over LR pixels), unweighted: on the three RGB channels
 * ({@link #PLAIN}, the default), or on the luma only ({@link #LUMA}, {@code --loss-channels y}): for a network that
 * computes only the Y of YCbCr, whose Cb and Cr are the bicubic upscaling of the LR's, the RGB residual also holds
 * what those fixed planes miss, and its luma part reaches the Y plane. Measured on FSRCNN-small x4 run at x2 (Set5
 * head and baby, fast schedule): within 0.1 dB of PLAIN either way, so PLAIN stays the default.
 */
public enum DataFidelity implements LossTerm {
  PLAIN("data_fidelity", "mean over LR pixels (inside the loss margin) and channels of (A f(y) - y)^2"),
  LUMA("data_fidelity_y", "mean over LR pixels (inside the loss margin) of (Y(A f(y)) - Y(y))^2, Y = 0.299 R + "
      + "0.587 G + 0.114 B");

  private final String spec;
  private final String definition;

  DataFidelity(String spec, String definition) {
    this.spec = spec;
    this.definition = definition;
  }

  @Override
  public Built build(Ops tf, Inputs in) {
    if (this == LUMA) {
      var value = DataFidelityLoss.luma(tf, in.predictedLr(), in.y(), in.lrMargin());
      return () -> value;
    }
    return in::plainFidelity;
  }

  @Override
  public boolean dataFidelity() {
    return true;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("term", spec());
    m.put("definition", definition);
    return m;
  }
}
