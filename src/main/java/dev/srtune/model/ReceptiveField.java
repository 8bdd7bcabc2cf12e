package dev.srtune.model;

import dev.srtune.image.RgbImage;
import java.util.Arrays;
import java.util.Random;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * How far, in LR pixels, an SR network's output looks into its input: the margin tiles need so that they join
 * without seams ({@link Tiling}).
 *
 * <p><b>How it is measured.</b> By an impulse test with two forward passes, which works for any SavedModel the
 * session can run (also TF2 function-wrapped graphs, where gradients fail, and whatever ops the network uses): a
 * random image of (2r+1)² LR pixels is run once with its centre pixel at 0 and once at 1 (all channels); the output
 * difference, grouped by the Chebyshev distance d of each output pixel's LR source pixel ({@code floor(Y/s)}) from
 * the centre, gives {@link #response()}: the largest change at distance d per unit change of one input pixel. For a
 * translation-equivariant network (one that commutes with shifts of one LR pixel and s output pixels) this scatter
 * profile equals the gather profile, the dependence of one output pixel on the inputs around it. r starts at 16 and
 * doubles while the outermost ring still responds, up to a cap ({@link #DEFAULT_CAP} unless given).
 *
 * <p><b>What it assumes.</b> Translation equivariance away from the borders (true of convolutional SR networks;
 * false of networks with global pooling or attention over the whole image, whose response then reaches the cap:
 * {@link #truncated()}). That one random image and one impulse exercise every path: a ReLU that happens to be dead
 * for this input can hide a part of the field; the {@link #support()} found is a lower bound of the structural one.
 * And, for {@link #radius(double)}, that the network is near-linear in a pixel far from the output, so the error of
 * cutting the field at r is bounded by the sum of the responses outside r over all pixels there.
 *
 * <p><b>EnhanceNet.</b> Measured for the ×4 network: the response is non-zero out to d = 23 and exactly zero beyond
 * (its 21 3×3 convolutions at LR give 21, the convolutions at ×2 and ×4 resolution 1.25 more, rounded up to whole
 * LR pixels), but it decays fast: 1.6 at d = 0, 2e-3 at d = 10, 1.3e-4 at d = 13, 1e-5 at d = 15, below 2e-6 from
 * d = 16 on. {@link #margin()} for it is 14 LR pixels; tiles with that margin agreed with the whole-image pass to
 * 6e-5 (0.015 of an 8-bit level) on a Set5 crop, and with margin 23 exactly.
 *
 * @param scale the network's scale
 * @param response largest output change at LR distance d from a unit change of one input pixel, d = 0..r
 * @param truncated whether the response still reached the outermost measured ring (the field may be larger)
 */
public record ReceptiveField(int scale, double[] response, boolean truncated) {
  /** Largest radius measured, in LR pixels: a (2·64+1)² pass costs about 2 s for EnhanceNet ×4 on 2 cores. */
  public static final int DEFAULT_CAP = 64;
  /**
   * Error bound {@link #margin()} aims at: half an 8-bit level, so tiled output rounds to the same 8-bit image
   * almost everywhere and never differs by a whole level.
   */
  public static final double DEFAULT_TOLERANCE = 0.5 / 255;
  private static final int FIRST_RADIUS = 16;

  public ReceptiveField {
    response = response.clone();
  }

  /** Measures the network {@code lr -> sr} of {@code session}, up to {@link #DEFAULT_CAP}. */
  public static ReceptiveField measure(Session session, Output<TFloat32> lr, Output<TFloat32> sr, int scale) {
    return measure(session, lr, sr, scale, DEFAULT_CAP);
  }

  /** As {@link #measure(Session, Output, Output, int)}, measuring at most {@code cap} LR pixels out. */
  public static ReceptiveField measure(Session session, Output<TFloat32> lr, Output<TFloat32> sr, int scale,
      int cap) {
    if (cap < 1 || scale < 1) {
      throw new IllegalArgumentException("cap and scale must be positive, got " + cap + " and " + scale);
    }
    int r = Math.min(FIRST_RADIUS, cap);
    while (true) {
      double[] response = impulseResponse(session, lr, sr, scale, r);
      boolean reachesEdge = response[r] > 0;
      if (!reachesEdge || r == cap) {
        return new ReceptiveField(scale, response, reachesEdge);
      }
      r = Math.min(2 * r, cap);
    }
  }

  private static double[] impulseResponse(Session session, Output<TFloat32> lr, Output<TFloat32> sr, int scale,
      int r) {
    int p = 2 * r + 1;
    Random random = new Random(20240610L);
    float[] base = new float[p * p * 3];
    for (int i = 0; i < base.length; i++) {
      base[i] = random.nextFloat();
    }
    RgbImage off = new RgbImage(p, p, base.clone());
    RgbImage on = new RgbImage(p, p, base.clone());
    for (int c = 0; c < 3; c++) {
      off.set(r, r, c, 0f);
      on.set(r, r, c, 1f);
    }
    RgbImage a = forward(session, lr, sr, off);
    RgbImage b = forward(session, lr, sr, on);
    if (a.height() != p * scale || a.width() != p * scale) {
      throw new IllegalArgumentException("the network turned " + p + "x" + p + " into " + a.height() + "x"
          + a.width() + ", not x" + scale);
    }
    double[] response = new double[r + 1];
    for (int y = 0; y < a.height(); y++) {
      int dy = Math.abs(y / scale - r);
      for (int x = 0; x < a.width(); x++) {
        int d = Math.max(dy, Math.abs(x / scale - r));
        for (int c = 0; c < 3; c++) {
          response[d] = Math.max(response[d], Math.abs(a.get(y, x, c) - b.get(y, x, c)));
        }
      }
    }
    return response;
  }

  static RgbImage forward(Session session, Output<TFloat32> lr, Output<TFloat32> sr, RgbImage y) {
    try (TFloat32 x = y.toTensor(); Result r = session.runner().feed(lr, x).fetch(sr).run()) {
      return RgbImage.fromTensor((TFloat32) r.get(0));
    }
  }

  @Override
  public double[] response() {
    return response.clone();
  }

  /** The largest LR distance at which the output changed at all: the field's extent as far as it was measured. */
  public int support() {
    for (int d = response.length - 1; d >= 0; d--) {
      if (response[d] > 0) {
        return d;
      }
    }
    return 0;
  }

  /**
   * The smallest margin r whose cut-off tail, Σ over d > r of (8d pixels at distance d) × response[d], is at most
   * {@code tolerance}: a first-order bound on how far a tile's kept output can be from the whole-image output when
   * each input pixel outside the window is replaced (by padding) with a value up to 1 away.
   */
  public int radius(double tolerance) {
    double tail = 0;
    for (int d = response.length - 1; d >= 1; d--) {
      tail += 8.0 * d * response[d];
      if (tail > tolerance) {
        return d;
      }
    }
    return 0;
  }

  /** {@link #radius(double)} at {@link #DEFAULT_TOLERANCE}: the tile margin to use unless a caller knows better. */
  public int margin() {
    return radius(DEFAULT_TOLERANCE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReceptiveField f && f.scale == scale && f.truncated == truncated
        && Arrays.equals(f.response, response);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(response) + scale;
  }

  @Override
  public String toString() {
    return "ReceptiveField[x" + scale + ", support " + support() + (truncated ? "+" : "") + ", margin " + margin()
        + "]";
  }
}
