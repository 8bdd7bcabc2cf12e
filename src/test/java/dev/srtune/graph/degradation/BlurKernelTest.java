package dev.srtune.graph.degradation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kernel values against independent computations, and their properties. */
class BlurKernelTest {

  static double sum(BlurKernel k) {
    double s = 0;
    for (double v : k.values()) {
      s += v;
    }
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gaussian:15:1.6", "gaussian:7:0.5", "gaussian:15:2.5,1,30", "gaussian:21:4,0.7,-75",
      "disk:0.5", "disk:1", "disk:1.3", "disk:3", "disk:5", "disk:7.5", "random:seed=1", "random:seed=2,noise=0.4",
      "random:seed=3,size=31"})
  void kernelsSumToOneAndAreCentred(String spec) {
    for (int s : new int[] {2, 4}) {
      BlurKernel k = Degradations.blur(spec, s, KernelSource.NONE).kernel();
      assertEquals(1, sum(k), 1e-12, spec);
      assertEquals(k.height() / 2, (k.height() - 1) / 2, "odd size");
      if (!spec.contains("noise")) {
        // Point-symmetric about the centre: a correlation that does not shift the image.
        for (int i = 0; i < k.height(); i++) {
          for (int j = 0; j < k.width(); j++) {
            assertEquals(k.at(i, j), k.at(k.height() - 1 - i, k.width() - 1 - j), 1e-15, spec);
          }
        }
      }
    }
  }

  @Test
  void anisotropicMajorAxisPointsThetaBelowTheXAxis() {
    // theta = 30: the kernel is longer along (cos30, sin30) with y down than along (cos30, -sin30).
    BlurKernel k = BlurKernel.anisotropicGaussian(15, 2.5, 1.0, 30);
    assertTrue(k.at(7 + 2, 7 + 3) > k.at(7 - 2, 7 + 3), "below-right beats above-right");
    // With theta = 90 the long axis is vertical.
    BlurKernel v = BlurKernel.anisotropicGaussian(15, 2.5, 1.0, 90);
    assertTrue(v.at(7 + 3, 7) > v.at(7, 7 + 3));
    // sigma1 = sigma2 gives the isotropic kernel, whatever theta.
    assertArrayEquals(BlurKernel.gaussian(15, 1.6).values(), BlurKernel.anisotropicGaussian(15, 1.6, 1.6, 40).values(),
        1e-15);
  }

  @ParameterizedTest
  @ValueSource(doubles = {1, 1.3, 2, 3, 5, 7.5})
  void diskWeightsAreTheAreaOfEachPixelInsideTheCircle(double r) {
    BlurKernel k = BlurKernel.disk(r);
    int n = k.height();
    int c = n / 2;
    // Independent: the area of each unit cell inside the circle, by midpoint sampling on a fine grid.
    int sub = 400;
    double[] area = new double[n * n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int inside = 0;
        for (int a = 0; a < sub; a++) {
          double y = i - c - 0.5 + (a + 0.5) / sub;
          for (int b = 0; b < sub; b++) {
            double x = j - c - 0.5 + (b + 0.5) / sub;
            if (x * x + y * y <= r * r) {
              inside++;
            }
          }
        }
        area[i * n + j] = inside / (double) (sub * sub);
        total += area[i * n + j];
      }
    }
    double err = 0;
    for (int i = 0; i < n * n; i++) {
      err = Math.max(err, Math.abs(area[i] / total - k.values()[i]));
    }
    System.out.printf("disk:%s (%dx%d): max abs difference to the sampled pixel areas %.2g%n", r, n, n, err);
    // MATLAB's closed form approximates cells the circle crosses twice; its error stays small.
    assertTrue(err < 3e-3, "max abs difference " + err);
  }

  @Test
  void randomKernelFollowsTheDocumentedDraws() {
    long seed = 42;
    int s = 3;
    BlurKernel k = new RandomGaussianKernel(seed, s, 15, 0.25).kernel();
    // Independent: the same draws, the covariance built as a matrix product and inverted numerically.
    SplittableRandom rnd = new SplittableRandom(seed);
    double l1 = 0.175 * s + rnd.nextDouble() * (2.5 - 0.175) * s;
    double l2 = 0.175 * s + rnd.nextDouble() * (2.5 - 0.175) * s;
    double t = rnd.nextDouble() * Math.PI;
    double[][] q = {{Math.cos(t), -Math.sin(t)}, {Math.sin(t), Math.cos(t)}};
    double[][] cov = new double[2][2];
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        cov[a][b] = q[a][0] * l1 * q[b][0] + q[a][1] * l2 * q[b][1];
      }
    }
    double det = cov[0][0] * cov[1][1] - cov[0][1] * cov[1][0];
    double[] v = new double[225];
    double total = 0;
    for (int i = 0; i < 15; i++) {
      for (int j = 0; j < 15; j++) {
        double x = j - 7;
        double y = i - 7;
        double quad = (cov[1][1] * x * x - 2 * cov[0][1] * x * y + cov[0][0] * y * y) / det;
        v[i * 15 + j] = Math.exp(-0.5 * quad);
      }
    }
    for (int i = 0; i < 225; i++) {
      v[i] *= 1 + (-0.25 + rnd.nextDouble() * 0.5);
      total += v[i];
    }
    for (int i = 0; i < 225; i++) {
      v[i] /= total;
    }
    assertArrayEquals(v, k.values(), 1e-12);
  }

  @Test
  void randomKernelsAreReproducibleFromTheSeedAndDifferAcrossSeeds() {
    BlurKernel a = Degradations.blur("random:seed=7", 2, KernelSource.NONE).kernel();
    BlurKernel b = Degradations.blur("random:seed=7", 2, KernelSource.NONE).kernel();
    BlurKernel c = Degradations.blur("random:seed=8", 2, KernelSource.NONE).kernel();
    assertArrayEquals(a.values(), b.values(), 0);
    assertNotEquals(a, c);
    // The variances are drawn for the scale: the same seed gives a wider kernel at x4 than at x2.
    BlurKernel wide = Degradations.blur("random:seed=7", 4, KernelSource.NONE).kernel();
    assertTrue(wide.at(7, 7) < a.at(7, 7));
  }
}
