package dev.srtune.testing;

import dev.srtune.image.RgbImage;

/**
 * An independent, plain-Java transcription of MATLAB's bicubic {@code imresize} as the reference INDEX describes it
 * (resize_params): Keys cubic a = −0.5, kernel stretched by 1/scale when shrinking, u = i/scale + 0.5(1 − 1/scale),
 * taps from floor(u − width/2), weights normalised, indices clamped (the older MATLAB), height first. In double,
 * with optional MATLAB uint8 rounding after each pass. For tests only: it checks the graph ops, it is not one.
 */
public final class MatlabImresize {
  private MatlabImresize() {}

  /** Downscale by the integer factor s; {@code uint8} rounds each pass like MATLAB does for uint8 input. */
  public static RgbImage downscale(RgbImage img, int s, boolean uint8) {
    double[][][] x = new double[img.height()][img.width()][3];
    for (int y = 0; y < img.height(); y++) {
      for (int i = 0; i < img.width(); i++) {
        for (int c = 0; c < 3; c++) {
          x[y][i][c] = uint8 ? Math.round(img.get(y, i, c) * 255.0) : img.get(y, i, c);
        }
      }
    }
    x = pass(x, s, true, uint8);
    x = pass(x, s, false, uint8);
    RgbImage out = RgbImage.zeros(x.length, x[0].length);
    for (int y = 0; y < x.length; y++) {
      for (int i = 0; i < x[0].length; i++) {
        for (int c = 0; c < 3; c++) {
          out.set(y, i, c, (float) (uint8 ? x[y][i][c] / 255.0 : x[y][i][c]));
        }
      }
    }
    return out;
  }

  private static double cubic(double x) {
    double a = Math.abs(x);
    if (a <= 1) {
      return 1.5 * a * a * a - 2.5 * a * a + 1;
    }
    if (a <= 2) {
      return -0.5 * a * a * a + 2.5 * a * a - 4 * a + 2;
    }
    return 0;
  }

  private static double[][][] pass(double[][][] in, int s, boolean rows, boolean uint8) {
    int h = in.length;
    int w = in[0].length;
    int n = rows ? h : w;
    int m = (int) Math.ceil(n / (double) s);
    double scale = 1.0 / s;
    double width = 4.0 / scale;
    double[][][] out = rows ? new double[m][w][3] : new double[h][m][3];
    for (int i = 1; i <= m; i++) {
      double u = i / scale + 0.5 * (1 - 1 / scale);
      int left = (int) Math.floor(u - width / 2);
      int taps = (int) Math.ceil(width) + 2;
      double[] wt = new double[taps];
      int[] idx = new int[taps];
      double sum = 0;
      for (int t = 0; t < taps; t++) {
        int k = left + t;
        wt[t] = scale * cubic(scale * (u - k));
        idx[t] = Math.min(Math.max(k, 1), n) - 1;
        sum += wt[t];
      }
      for (int a = 0; a < (rows ? w : h); a++) {
        for (int c = 0; c < 3; c++) {
          double v = 0;
          for (int t = 0; t < taps; t++) {
            v += wt[t] / sum * (rows ? in[idx[t]][a][c] : in[a][idx[t]][c]);
          }
          if (uint8) {
            v = Math.max(0, Math.min(255, Math.floor(v + 0.5)));
          }
          if (rows) {
            out[i - 1][a][c] = v;
          } else {
            out[a][i - 1][c] = v;
          }
        }
      }
    }
    return out;
  }
}
