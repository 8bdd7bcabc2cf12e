package dev.srtune.tune;

/** Told about every iteration, e.g. to print a progress line. */
@FunctionalInterface
public interface IterationListener {
  void onIteration(IterationRecord record, int maxIterations);

  /** f_ψt(y) at iteration t, when the run was asked for outputs. */
  default void onOutput(int iteration, dev.srtune.image.RgbImage sr) {}

  static IterationListener none() {
    return (r, max) -> {};
  }
}
