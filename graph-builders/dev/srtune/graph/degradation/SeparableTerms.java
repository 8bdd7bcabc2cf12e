package dev.srtune.graph.degradation;

/**
 * A blur kernel written as a sum of r separable terms, K = Σ u_i v_iᵀ (a truncated SVD), so B can run as a
 * vertical convolution into r channels followed by a horizontal one that sums them. A Gaussian is exactly rank 1;
 * the truncation keeps every term until the rest is below float32 resolution of the kernel.
 *
 * @param rank r
 * @param columns u_i, row-major [height][rank]
 * @param rows v_i, row-major [rank][width]
 */
record SeparableTerms(int rank, double[] columns, double[] rows) {
  /** Terms dropped once the rest of the kernel is below this fraction of its largest value. */
  static final double RELATIVE_TOLERANCE = 1e-8;

  static SeparableTerms of(BlurKernel k) {
    int h = k.height();
    int w = k.width();
    // Eigenvectors of KᵀK (cyclic Jacobi) give the right singular vectors; u_i = K v_i.
    double[][] a = new double[w][w];
    for (int p = 0; p < w; p++) {
      for (int q = 0; q < w; q++) {
        double s = 0;
        for (int i = 0; i < h; i++) {
          s += k.at(i, p) * k.at(i, q);
        }
        a[p][q] = s;
      }
    }
    double[][] v = jacobiEigenvectors(a);
    Integer[] order = new Integer[w];
    for (int i = 0; i < w; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
    double max = 0;
    for (double x : k.values()) {
      max = Math.max(max, Math.abs(x));
    }
    double[] residual = k.values().clone();
    double[] us = new double[h * w];
    double[] vs = new double[w * w];
    int r = 0;
    while (r < w && maxAbs(residual) > RELATIVE_TOLERANCE * max) {
      int e = order[r];
      for (int i = 0; i < h; i++) {
        double u = 0;
        for (int j = 0; j < w; j++) {
          u += k.at(i, j) * v[j][e];
        }
        us[i * w + r] = u;
        for (int j = 0; j < w; j++) {
          residual[i * w + j] -= u * v[j][e];
        }
      }
      for (int j = 0; j < w; j++) {
        vs[r * w + j] = v[j][e];
      }
      r++;
    }
    double[] columns = new double[h * r];
    for (int i = 0; i < h; i++) {
      System.arraycopy(us, i * w, columns, i * r, r);
    }
    return new SeparableTerms(r, columns, java.util.Arrays.copyOf(vs, r * w));
  }

  private static double maxAbs(double[] x) {
    double m = 0;
    for (double v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** Diagonalises the symmetric matrix {@code a} in place; returns the eigenvectors as columns. */
  private static double[][] jacobiEigenvectors(double[][] a) {
    int n = a.length;
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-300) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] == 0) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int i = 0; i < n; i++) {
            double aip = a[i][p];
            double aiq = a[i][q];
            a[i][p] = c * aip - s * aiq;
            a[i][q] = s * aip + c * aiq;
          }
          for (int i = 0; i < n; i++) {
            double api = a[p][i];
            double aqi = a[q][i];
            a[p][i] = c * api - s * aqi;
            a[q][i] = s * api + c * aqi;
          }
          for (int i = 0; i < n; i++) {
            double vip = v[i][p];
            double viq = v[i][q];
            v[i][p] = c * vip - s * viq;
            v[i][q] = s * vip + c * viq;
          }
        }
      }
    }
    return v;
  }
}
