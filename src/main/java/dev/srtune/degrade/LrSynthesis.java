package dev.srtune.degrade;

import dev.srtune.graph.degradation.BicubicUpsampler;
import dev.srtune.graph.degradation.Boundary;
import dev.srtune.graph.degradation.BlurredDegradation;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.SeparableDownsampler;
import dev.srtune.image.RgbImage;
import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Makes an LR image exactly as an evaluation does: modcrop to a multiple of s, then A. For 8-bit input every
 * step is rounded to 8 bits, as the tools that made the benchmark files do for uint8 images: MATLAB's imresize
 * rounds after each 1-D pass (this reproduces the classic Set5/Set14 LR PNGs, see the reference INDEX
 * {@code crosscheck_matlab_benchmark_lr}), MATLAB's imfilter on uint8 rounds the blurred image, and PIL rounds an
 * 8-bit image after each pass of its resize.
 */
public final class LrSynthesis {
  private LrSynthesis() {}

  /** A applied to the modcropped HR, rounded as an 8-bit file would be. */
  public static RgbImage degrade8bit(RgbImage hr, Degradation op) {
    // On the 0..255 scale the dyadic x2/x4 taps make every pass exact in float32, so ties round as MATLAB's do.
    RgbImage x = levels(hr.modcrop(op.scale()));
    Degradation d = op;
    if (op instanceof BlurredDegradation bd) {
      // imfilter(uint8, k, 'symmetric') returns uint8: the blurred image is rounded before it is resized.
      x = roundLevels(run(x, bd.blur()::apply));
      d = bd.downsampler();
    }
    if (d instanceof SeparableDownsampler sd) {
      for (int axis : sd.passOrder()) {
        x = roundLevels(run(x, (tf, in) -> sd.pass(tf, in, axis)));
      }
      return unlevels(x);
    }
    return unlevels(roundLevels(run(x, d::apply)));
  }

  private static RgbImage levels(RgbImage img) {
    float[] d = img.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.round(d[i] * 255f);
    }
    return new RgbImage(img.height(), img.width(), d);
  }

  /** MATLAB uint8 conversion of a 0..255-scale value: round half away from zero, saturate. */
  private static RgbImage roundLevels(RgbImage img) {
    float[] d = img.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) Math.max(0, Math.min(255, Math.floor(d[i] + 0.5)));
    }
    return new RgbImage(img.height(), img.width(), d);
  }

  private static RgbImage unlevels(RgbImage img) {
    float[] d = img.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] = d[i] / 255f;
    }
    return new RgbImage(img.height(), img.width(), d);
  }

  /**
   * The LR file {@code srtune degrade} writes: the 8-bit pipeline when every HR sample is an 8-bit level, the float
   * one otherwise (16-bit input). The evaluation harness uses this so its LR images are the ones degrade makes.
   */
  public static RgbImage asDegradeWrites(RgbImage hr, Degradation op) {
    return isEightBit(hr) ? degrade8bit(hr, op) : degrade(hr, op);
  }

  /** True when every sample is one of the 256 levels of an 8-bit file. */
  public static boolean isEightBit(RgbImage img) {
    for (float v : img.data()) {
      if (RgbImage.to8bit(v) / 255f != v) {
        return false;
      }
    }
    return true;
  }

  /** A applied in float, not rounded. */
  public static RgbImage degrade(RgbImage hr, Degradation op) {
    return run(hr.modcrop(op.scale()), op::apply);
  }

  /** MATLAB bicubic enlargement by s (the classic baseline), rounded to 8 bits. */
  public static RgbImage bicubicUpscale8bit(RgbImage lr, int s) {
    BicubicUpsampler up = new BicubicUpsampler(s, Boundary.REPLICATE);
    return run(lr, up::apply).quantized8();
  }

  /** Runs a one-image graph function once. */
  public static RgbImage run(RgbImage in, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> f) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Operand<TFloat32> y = f.apply(tf, x);
      try (TFloat32 t = in.toTensor(); Result r = s.runner().feed(x, t).fetch(y).run()) {
        return RgbImage.fromTensor((TFloat32) r.get(0));
      }
    }
  }
}
