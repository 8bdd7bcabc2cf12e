package dev.srtune.graph.degradation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The separable form B runs as reproduces the kernel to float32 resolution. */
class SeparableTermsTest {

  @ParameterizedTest
  @ValueSource(strings = {"gaussian:15:1.6", "gaussian:9:0.8", "gaussian:15:2.5,1,30", "gaussian:21:5,0.5,-60",
      "disk:1", "disk:5", "disk:7.3", "random:seed=7", "random:seed=11,noise=0.4"})
  void termsRebuildTheKernel(String spec) {
    check(Degradations.blur(spec, 2, KernelSource.NONE).kernel(), spec);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 6})
  void nonSquareAndAsymmetricKernels(int w) {
    double[] v = new double[4 * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i * 37 % 11) + 0.5;
    }
    check(new BlurKernel("kernel:test", 4, w, v), "4x" + w);
  }

  private static void check(BlurKernel k, String what) {
    SeparableTerms t = SeparableTerms.of(k);
    double max = 0;
    double err = 0;
    for (int a = 0; a < k.height(); a++) {
      for (int b = 0; b < k.width(); b++) {
        double s = 0;
        for (int i = 0; i < t.rank(); i++) {
          s += t.columns()[a * t.rank() + i] * t.rows()[i * k.width() + b];
        }
        err = Math.max(err, Math.abs(s - k.at(a, b)));
        max = Math.max(max, Math.abs(k.at(a, b)));
      }
    }
    System.out.printf("separable %s: rank %d, max abs error %.2g%n", what, t.rank(), err);
    assertTrue(err <= 1e-8 * max, what + ": error " + err);
    if (what.startsWith("gaussian:") && !what.contains(",")) {
      assertEquals(1, t.rank(), "an isotropic Gaussian is separable");
    }
  }
}
