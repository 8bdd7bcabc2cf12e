package dev.srtune.blind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.srtune.graph.degradation.BlurKernel;
import org.junit.jupiter.api.Test;

/** The kernel error on kernels whose distance is known by hand. */
class KernelErrorTest {

  @Test
  void identicalKernelsHaveNoError() {
    BlurKernel k = BlurKernel.anisotropicGaussian(15, 2, 1, 20);
    KernelError e = KernelError.between(k, k);
    assertEquals(0, e.normalisedL2(), 1e-12);
    assertEquals(0, e.shiftY());
    assertEquals(0, e.shiftX());
  }

  @Test
  void aShiftedKernelIsAlignedFirst() {
    double[] v = new double[49];
    double[] w = new double[49];
    v[3 * 7 + 3] = 0.5;
    v[3 * 7 + 4] = 0.5;
    w[4 * 7 + 2] = 0.5;
    w[4 * 7 + 3] = 0.5; // the same pair one row down and one column left
    KernelError e = KernelError.between(new BlurKernel("a", 7, 7, w), new BlurKernel("b", 7, 7, v));
    assertEquals(0, e.normalisedL2(), 1e-12);
    assertEquals(-1, e.shiftY());
    assertEquals(1, e.shiftX());
    // Unshifted: four taps of 0.5 differ, |d| = 1, |k| = √0.5.
    assertEquals(Math.sqrt(2), e.unshiftedL2(), 1e-12);
  }

  @Test
  void deltaAgainstBoxOfNine() {
    double[] box = new double[9];
    java.util.Arrays.fill(box, 1);
    BlurKernel delta = new BlurKernel("d", 1, 1, new double[] {1});
    // |δ − u| = √((8/9)² + 8·(1/9)²) = √72/9, |u| = 1/3 → √72/3; a delta is its own best alignment here.
    assertEquals(Math.sqrt(72) / 3, KernelError.between(delta, new BlurKernel("u", 3, 3, box)).normalisedL2(), 1e-12);
  }
}
