package dev.srtune.baseline;

import dev.srtune.graph.degradation.Degradation;
import dev.srtune.image.RgbImage;
import dev.srtune.tune.FineTuneResult;
import dev.srtune.tune.IterationListener;
import java.util.Map;

/**
 * A super-resolution method that, like fine-tuning, sees only the LR image y and its image formation model A.
 * {@link #run} returns the same {@link FineTuneResult} a fine-tuning run does: the output before any update
 * ({@code start}), the result, the curve of measurements (LR-PSNR = PSNR of A f(y) against y), and why it stopped.
 */
public interface Baseline {

  /** The method's name as {@code eval --method} and {@code report.json} write it ({@code zssr}, {@code dip}). */
  String name();

  /** The settings that determine its result, for {@code report.json} and an evaluation's fingerprint. */
  Map<String, Object> settings();

  /**
   * Throws a {@link dev.srtune.UserInputException} (one sentence) when this method cannot run on an LR image of
   * this size with {@code a}; called before any output is written.
   */
  void check(int lrHeight, int lrWidth, Degradation a);

  /**
   * Super-resolves {@code y} by A's scale; calls {@code listener.onOutput} with f(y) every {@code outputEvery}
   * iterations (0: never) so a caller holding the HR image can draw its curve.
   */
  FineTuneResult run(RgbImage y, Degradation a, IterationListener listener, int outputEvery);

  /** What the last {@link #run} adds to {@code report.json} besides the common fields (e.g. the network's size). */
  default Map<String, Object> details() {
    return Map.of();
  }
}
