package dev.srtune.graph.degradation;

import java.util.Arrays;

/**
 * A blur kernel k for B (2-D correlation), row = y going down, column = x going right, normalised to sum 1.
 * The spec string is what made it ({@code gaussian:15:1.6}, {@code disk:5}, ...) and parses back to it.
 *
 * @param spec the blur spec that {@link Degradations#blur} turns back into this kernel
 * @param height kernel rows
 * @param width kernel columns
 * @param values row-major, {@code height * width} values summing to 1
 */
public record BlurKernel(String spec, int height, int width, double[] values) {

  public BlurKernel {
    if (height < 1 || width < 1 || values.length != height * width) {
      throw new IllegalArgumentException("a blur kernel needs height x width values, got " + height + "x" + width
          + " and " + values.length + " values");
    }
    double sum = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("the blur kernel holds a non-finite value");
      }
      sum += v;
    }
    if (!(Math.abs(sum) > 1e-12)) {
      throw new IllegalArgumentException("the blur kernel sums to 0, so it cannot be normalised to sum 1");
    }
    double[] normalised = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      normalised[i] = values[i] / sum;
    }
    values = normalised;
  }

  /** A copy of the row-major values: the kernel itself stays immutable. */
  @Override
  public double[] values() {
    return values.clone();
  }

  /** Kernel value at row y, column x. */
  public double at(int y, int x) {
    return values[y * width + x];
  }

  /**
   * Isotropic Gaussian of side {@code size}: k[i,j] ∝ exp(−((j−c)² + (i−c)²) / (2σ²)), c = (size−1)/2.
   */
  public static BlurKernel gaussian(int size, double sigma) {
    requireSize(size);
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("the Gaussian σ must be positive, got " + sigma);
    }
    // The isotropic case of the anisotropic formula: equal variances, any angle.
    double[] v = anisotropic(size, sigma * sigma, sigma * sigma, 0, null);
    return new BlurKernel("gaussian:" + size + ":" + SpecNumbers.format(sigma), size, size, v);
  }

  /**
   * Anisotropic Gaussian: k ∝ exp(−½ vᵀ C⁻¹ v), v = (x, y) = (j−c, i−c) with x right and y down,
   * C = R diag(σ1², σ2²) Rᵀ, R the rotation by θ degrees: the σ1 axis points along (cos θ, sin θ), i.e. θ below the
   * +x axis on screen.
   */
  public static BlurKernel anisotropicGaussian(int size, double sigma1, double sigma2, double thetaDegrees) {
    requireSize(size);
    if (!(sigma1 > 0) || !(sigma2 > 0) || !Double.isFinite(thetaDegrees)) {
      throw new IllegalArgumentException("the Gaussian σ1 and σ2 must be positive and θ finite");
    }
    double[] v = anisotropic(size, sigma1 * sigma1, sigma2 * sigma2, StrictMath.toRadians(thetaDegrees), null);
    return new BlurKernel("gaussian:" + size + ":" + SpecNumbers.format(sigma1) + "," + SpecNumbers.format(sigma2)
        + "," + SpecNumbers.format(thetaDegrees), size, size, v);
  }

  /**
   * Unnormalised anisotropic Gaussian with variances {@code var1} along angle {@code theta} (radians) and
   * {@code var2} across it, optionally multiplied by (1 + noise[i]). StrictMath keeps it bit-for-bit reproducible.
   */
  static double[] anisotropic(int size, double var1, double var2, double theta, double[] noise) {
    double cos = StrictMath.cos(theta);
    double sin = StrictMath.sin(theta);
    // C = R diag(var1, var2) R^T and its inverse, written out for a 2x2 matrix.
    double cxx = cos * cos * var1 + sin * sin * var2;
    double cxy = cos * sin * (var1 - var2);
    double cyy = sin * sin * var1 + cos * cos * var2;
    double det = cxx * cyy - cxy * cxy;
    double ixx = cyy / det;
    double ixy = -cxy / det;
    double iyy = cxx / det;
    double c = (size - 1) / 2.0;
    double[] v = new double[size * size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        double x = j - c;
        double y = i - c;
        double q = ixx * x * x + 2 * ixy * x * y + iyy * y * y;
        v[i * size + j] = StrictMath.exp(-0.5 * q) * (noise == null ? 1 : 1 + noise[i * size + j]);
      }
    }
    return v;
  }

  /**
   * MATLAB's {@code fspecial('disk', r)}: each cell of the (2⌈r−½⌉+1)² grid weighted by the area of the unit square
   * inside the circle of radius r (the "circular blur" of the paper's Figure 11).
   */
  public static BlurKernel disk(double radius) {
    if (!(radius > 0) || radius > 100) {
      throw new IllegalArgumentException("the disk radius must be in (0, 100], got " + radius);
    }
    double r2 = radius * radius;
    int crad = (int) Math.ceil(radius - 0.5);
    int n = 2 * crad + 1;
    double[] g = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double ax = Math.abs(j - crad);
        double ay = Math.abs(i - crad);
        double maxxy = Math.max(ax, ay);
        double minxy = Math.min(ax, ay);
        double value = 0;
        boolean crossed = (r2 < sq(maxxy + 0.5) + sq(minxy + 0.5) && r2 > sq(maxxy - 0.5) + sq(minxy - 0.5))
            || (minxy == 0 && maxxy - 0.5 < radius && maxxy + 0.5 >= radius);
        if (crossed) {
          // Where the circle leaves the cell's inner and outer columns (MATLAB's m1, m2).
          double m1 = r2 < sq(maxxy + 0.5) + sq(minxy - 0.5) ? minxy - 0.5 : Math.sqrt(r2 - sq(maxxy + 0.5));
          double m2 = r2 > sq(maxxy - 0.5) + sq(minxy + 0.5) ? minxy + 0.5 : Math.sqrt(r2 - sq(maxxy - 0.5));
          value = r2 * (0.5 * (Math.asin(m2 / radius) - Math.asin(m1 / radius))
              + 0.25 * (Math.sin(2 * Math.asin(m2 / radius)) - Math.sin(2 * Math.asin(m1 / radius))))
              - (maxxy - 0.5) * (m2 - m1) + (m1 - minxy + 0.5);
        }
        if (sq(maxxy + 0.5) + sq(minxy + 0.5) < r2) {
          value += 1;
        }
        g[i * n + j] = value;
      }
    }
    int mid = crad * n + crad;
    g[mid] = Math.min(Math.PI * r2, Math.PI / 2);
    if (crad > 0 && radius > crad - 0.5 && r2 < sq(crad - 0.5) + 0.25) {
      double m1 = Math.sqrt(r2 - sq(crad - 0.5));
      double m1n = m1 / radius;
      double sg0 = 2 * (r2 * (0.5 * Math.asin(m1n) + 0.25 * Math.sin(2 * Math.asin(m1n))) - m1 * (crad - 0.5));
      g[(2 * crad) * n + crad] = sg0;
      g[crad * n + 2 * crad] = sg0;
      g[crad * n] = sg0;
      g[crad] = sg0;
      g[(2 * crad - 1) * n + crad] -= sg0;
      g[crad * n + 2 * crad - 1] -= sg0;
      g[crad * n + 1] -= sg0;
      g[n + crad] -= sg0;
    }
    g[mid] = Math.min(g[mid], 1);
    return new BlurKernel("disk:" + SpecNumbers.format(radius), n, n, g);
  }

  private static double sq(double x) {
    return x * x;
  }

  static void requireSize(int size) {
    if (size < 1 || size > 101) {
      throw new IllegalArgumentException("the kernel size must be from 1 to 101, got " + size);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlurKernel k && k.spec.equals(spec) && k.height == height && k.width == width
        && Arrays.equals(k.values, values);
  }

  @Override
  public int hashCode() {
    return spec.hashCode() * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "BlurKernel[" + spec + ", " + height + "x" + width + "]";
  }
}
