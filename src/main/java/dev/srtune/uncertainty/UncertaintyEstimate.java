package dev.srtune.uncertainty;

import dev.srtune.image.RgbImage;
import java.util.Arrays;
import java.util.List;

/**
 * Monte-Carlo dropout statistics over passes of a {@link McDropoutNetwork} on one image: the mean prediction and
 * the per-pixel variance (population variance over passes, 1/N, of each channel of the outputs clipped to [0,1] as
 * a picture shows them, then averaged over R, G and B), accumulated with Welford's update in double precision.
 *
 * @param mean the mean prediction (unclipped mean of the clipped passes, so in [0,1])
 * @param variance per-pixel variance, H×W row-major
 * @param passes N
 * @param seed the seed of every pass's dropout masks
 * @param seconds wall time of the passes
 */
public record UncertaintyEstimate(RgbImage mean, float[] variance, int passes, long seed, double seconds) {

  /** Told after each batch of passes. */
  public interface Progress {
    void done(int passes, int total, double seconds);
  }

  /** Runs {@code passes} passes (the last batch's surplus is computed and dropped) and collects the statistics. */
  public static UncertaintyEstimate run(McDropoutNetwork net, RgbImage y, int passes, long seed, Progress progress) {
    if (passes < 2) {
      throw new IllegalArgumentException("a variance needs at least 2 passes, got " + passes);
    }
    long t0 = System.nanoTime();
    double[] mean = null;
    double[] m2 = null;
    int n = 0;
    int h = 0;
    int w = 0;
    while (n < passes) {
      List<RgbImage> outs = net.run(y, seed, n);
      for (RgbImage o : outs) {
        if (n == passes) {
          break;
        }
        if (mean == null) {
          h = o.height();
          w = o.width();
          mean = new double[o.data().length];
          m2 = new double[o.data().length];
        }
        n++;
        float[] d = o.data();
        for (int i = 0; i < d.length; i++) {
          double v = Math.min(1.0, Math.max(0.0, d[i]));
          double delta = v - mean[i];
          mean[i] += delta / n;
          m2[i] += delta * (v - mean[i]);
        }
      }
      if (progress != null) {
        progress.done(n, passes, (System.nanoTime() - t0) / 1e9);
      }
    }
    float[] meanImage = new float[mean.length];
    for (int i = 0; i < mean.length; i++) {
      meanImage[i] = (float) mean[i];
    }
    float[] variance = new float[h * w];
    for (int p = 0; p < h * w; p++) {
      variance[p] = (float) ((m2[3 * p] + m2[3 * p + 1] + m2[3 * p + 2]) / (3.0 * n));
    }
    return new UncertaintyEstimate(new RgbImage(h, w, meanImage), variance, n, seed, (System.nanoTime() - t0) / 1e9);
  }

  public int height() {
    return mean.height();
  }

  public int width() {
    return mean.width();
  }

  /** Mean of the variance map. */
  public double meanVariance() {
    double s = 0;
    for (float v : variance) {
      s += v;
    }
    return s / variance.length;
  }

  /** The q-th percentile (0..100) of the variance map, nearest rank. */
  public double percentile(double q) {
    float[] sorted = variance.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
