package dev.srtune.tune;

import dev.srtune.image.RgbImage;
import dev.srtune.model.Tiling;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * The passes over the whole image: f_ψ(y), and the whole-image measurement (LR MSE and metrics of A f_ψ(y) vs y,
 * with f_ψ(y) when asked). Each runs at once or tile by tile as the {@link PassPlanner} says; with the whole-image
 * sampler the measurement is fused with the step (the step's own forward pass), so it costs nothing extra.
 */
final class WholeImagePassRunner {
  private final TrainingSubgraph subgraph;
  private final PassPlanner planner;
  private final FineTuneOptions options;

  WholeImagePassRunner(TrainingSubgraph subgraph, FineTuneOptions options, WholeImagePasses settings) {
    this.subgraph = subgraph;
    this.options = options;
    this.planner = new PassPlanner(subgraph, settings);
  }

  /** How the passes are planned (and whether a whole-image step fits). */
  PassPlanner planner() {
    return planner;
  }

  /** What one iteration's session runs gave: the step's objective and the measurement of ψ_t when it was due. */
  record Stepped(double loss, Measurement measured) {
    boolean finite() {
      return Double.isFinite(loss) && (measured == null || Double.isFinite(measured.record().loss()));
    }
  }

  /** f_ψ(y) with the current weights. */
  RgbImage superResolve(RgbImage y) {
    Tiling p = planner.plan(y);
    if (p != null) {
      return planner.tiled().superResolve(y, p);
    }
    try (TFloat32 x = y.toTensor();
        Result r = subgraph.session.runner().feed(subgraph.lr, x).fetch(subgraph.sr).run()) {
      return RgbImage.fromTensor((TFloat32) r.get(0));
    }
  }

  /**
   * Measures the current weights on {@code whole} (the tensor of {@code y}); {@code elapsed} is read when the pass is
   * done (a tiled pass over a large image takes minutes).
   */
  Measurement measure(TFloat32 whole, RgbImage y, int iteration, DoubleSupplier elapsed, boolean withOutput) {
    MeasurementWindows windows = windows(y);
    if (windows != null) {
      RgbImage output = withOutput ? superResolve(y) : null;
      return new Measurement(measureOn(windows, y, iteration, elapsed), output);
    }
    Tiling p = planner.plan(y);
    Session.Runner runner = subgraph.session.runner().feed(subgraph.lr, whole);
    RgbImage tiledOutput = null;
    List<Tensor> open = new ArrayList<>();
    if (p != null) {
      // f(y) tile by tile, then A f(y) and the metrics from it: the network's output tensor is fed, not computed.
      tiledOutput = planner.tiled().superResolve(y, p);
    } else if (!withOutput) { // the frozen part's features, computed once; an image a user gets is computed whole
      subgraph.feedFrozenPart(runner, whole, y, List.of(Window.whole(y.height(), y.width())), open);
    }
    try (TFloat32 fy = tiledOutput == null ? null : tiledOutput.toTensor()) {
      if (fy != null) {
        runner.feed(subgraph.sr, fy);
      }
      subgraph.fetchMeasurement(runner, false, withOutput && p == null);
      try (Result r = runner.run()) {
        Measurement m = subgraph.measurement(r, 0, iteration, elapsed.getAsDouble(), withOutput && p == null);
        return p == null ? m : new Measurement(m.record(), withOutput ? tiledOutput : null);
      }
    } finally {
      open.forEach(Tensor::close);
    }
  }

  /** How the last image's LR metrics were measured, for reports: "" for the whole image. */
  String measurementDescription() {
    return windows == null ? "" : windows.describe();
  }

  /** The fixed windows that stand for a photo-size image (null: measured whole), once per image size. */
  MeasurementWindows windows(RgbImage y) {
    long key = ((long) y.height() << 32) | y.width();
    if (key != windowsFor) {
      windows = MeasurementWindows.forImage(y.height(), y.width(), options.windowAlignment());
      windowsFor = key;
    }
    return windows;
  }

  private MeasurementWindows windows;
  private long windowsFor = -1;

  /** The LR MSE and metrics of A f(y) vs y over the windows, inside their margins. */
  private IterationRecord measureOn(MeasurementWindows w, RgbImage y, int iteration, DoubleSupplier elapsed) {
    List<Tensor> open = new ArrayList<>();
    try (TFloat32 batch = Window.stack(y.data(), y.height(), y.width(), 3, w.windows())) {
      Session.Runner runner = subgraph.session.runner().feed(subgraph.lr, batch);
      subgraph.feedMargin(runner, MeasurementWindows.MARGIN, open);
      subgraph.fetchMeasurement(runner, false, false);
      try (Result r = runner.run()) {
        return subgraph.measurement(r, 0, iteration, elapsed.getAsDouble(), false).record();
      }
    } finally {
      open.forEach(Tensor::close);
    }
  }

  /**
   * Iteration t after ψ_t is remembered: its measurement when {@code measure} (with f_ψt(y) when {@code withOutput}),
   * then one optimiser step on the sampler's windows.
   */
  Stepped measureAndStep(TFloat32 whole, RgbImage y, Sampler sampler, int t, boolean measure, boolean withOutput,
      DoubleSupplier elapsed) {
    boolean fused = sampler.wholeImage();
    Measurement measured = measure && !fused ? measure(whole, y, t, elapsed, withOutput) : null;
    List<Tensor> scalars = new ArrayList<>();
    try (TFloat32 batch = fused ? null : sampler.batch(y, t)) {
      List<Window> windows = sampler.windows(y.height(), y.width(), t);
      Session.Runner runner = subgraph.step(fused ? whole : batch, windows, t, sampler.lossMargin(), scalars);
      // the frozen part's features on the whole image, computed once where they fit (an output image is not
      // computed from them: what a user gets is the network's own pass)
      if (planner.plan(y) == null && windows(y) == null && !(fused && measure && withOutput)) {
        subgraph.feedFrozenPart(runner, whole, y, windows, scalars);
      }
      int mseAt = measure && fused ? subgraph.fetchMeasurement(runner, true, withOutput) : -1;
      try (Result r = runner.run()) {
        subgraph.stepped();
        if (mseAt >= 0) {
          measured = subgraph.measurement(r, mseAt, t, elapsed.getAsDouble(), withOutput);
        }
        return new Stepped(((TFloat32) r.get(0)).getFloat(), measured);
      }
    } finally {
      scalars.forEach(Tensor::close);
    }
  }
}
