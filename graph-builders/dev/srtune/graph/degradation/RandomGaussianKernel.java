package dev.srtune.graph.degradation;

import java.util.SplittableRandom;

/**
 * ZSSR's "non-ideal" downscaling kernels: anisotropic Gaussians with random variances and angle, optionally with
 * multiplicative noise, as used to make blurred BSD100-style test sets. Parameters follow the generator published
 * with ZSSR's follow-up (KernelGAN): variances λ1, λ2 uniform in [0.175·s, 2.5·s], angle uniform in [0, π), noise
 * uniform in [−n, n] per tap multiplying the kernel by (1 + noise). Unlike that generator the kernel is not shifted
 * by (s−1)/2: here B is followed by a centred downsampler, so B itself must be centred.
 *
 * <p>Reproducible bit for bit in Java: {@link SplittableRandom} draws in a fixed order, {@link StrictMath} for the
 * transcendental functions.
 *
 * @param seed the random seed
 * @param scale the downscaling factor s the variances are drawn for
 * @param size kernel side
 * @param noise multiplicative noise level n (0 = none)
 */
public record RandomGaussianKernel(long seed, int scale, int size, double noise) {
  public static final int SIZE_DEFAULT = 15;
  public static final double NOISE_DEFAULT = 0;
  static final double MIN_VARIANCE_PER_SCALE = 0.175;
  static final double MAX_VARIANCE_PER_SCALE = 2.5;

  public RandomGaussianKernel {
    BlurKernel.requireSize(size);
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be >= 1, got " + scale);
    }
    if (!(noise >= 0 && noise < 1)) {
      throw new IllegalArgumentException("the kernel noise level must be in [0, 1), got " + noise);
    }
  }

  /** The variances, angle and noise drawn from the seed, in this order. */
  public BlurKernel kernel() {
    SplittableRandom rnd = new SplittableRandom(seed);
    double lo = MIN_VARIANCE_PER_SCALE * scale;
    double hi = MAX_VARIANCE_PER_SCALE * scale;
    double var1 = lo + rnd.nextDouble() * (hi - lo);
    double var2 = lo + rnd.nextDouble() * (hi - lo);
    double theta = rnd.nextDouble() * Math.PI;
    double[] n = null;
    if (noise > 0) {
      n = new double[size * size];
      for (int i = 0; i < n.length; i++) {
        n[i] = -noise + rnd.nextDouble() * 2 * noise;
      }
    }
    return new BlurKernel(spec(), size, size, BlurKernel.anisotropic(size, var1, var2, theta, n));
  }

  /** {@code random:seed=N}, with size and noise only when they differ from the defaults. */
  public String spec() {
    StringBuilder b = new StringBuilder("random:seed=").append(seed);
    if (size != SIZE_DEFAULT) {
      b.append(",size=").append(size);
    }
    if (noise != NOISE_DEFAULT) {
      b.append(",noise=").append(SpecNumbers.format(noise));
    }
    return b.toString();
  }
}
