package dev.srtune.tune.loss;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.op.Ops;

/** The paper's data-fidelity term ‖A f(y) − y‖² (mean over LR pixels and channels), unweighted. */
public enum DataFidelity implements LossTerm {
  PLAIN;

  @Override
  public Built build(Ops tf, Inputs in) {
    return in::plainFidelity;
  }

  @Override
  public boolean dataFidelity() {
    return true;
  }

  @Override
  public String spec() {
    return "data_fidelity";
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("term", spec());
    m.put("definition", "mean over LR pixels (inside the loss margin) and channels of (A f(y) - y)^2");
    return m;
  }
}
