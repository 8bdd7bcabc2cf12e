package dev.srtune.graph.degradation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Arrays2;
import dev.srtune.testing.Shared;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Blur kernels, B, and A = D∘B against the float64 references in {@code ../shared/reference/blur}. */
@Tag("integration")
class BlurReferenceTest {
  private static final double TOLERANCE = 1e-5;

  @ParameterizedTest(name = "{0} kernel")
  @CsvSource({"iso, gaussian:15:1.6", "aniso, 'gaussian:15:2.5,1.0,30'"})
  void kernelMatchesReference(String kind, String spec) {
    Npy.Array ref = Npy.read(Shared.reference("blur/gauss_" + kind + "_kernel.npy"));
    BlurKernel k = Degradations.blur(spec, 2, KernelSource.NONE).kernel();
    assertEquals(ref.dim(0), k.height());
    assertEquals(ref.dim(1), k.width());
    double err = Arrays2.maxAbsDiff(ref.data(), toFloats(k.values()));
    System.out.printf("reference kernel %-5s %s: max abs error %.3g%n", kind, spec, err);
    // The reference is float32-rounded float64: values up to 0.064 are stored to within 4e-9.
    assertTrue(err <= 1e-8, "max abs error " + err);
  }

  @ParameterizedTest(name = "{0} blur")
  @CsvSource({"iso, gaussian:15:1.6", "aniso, 'gaussian:15:2.5,1.0,30'"})
  void blurMatchesReference(String kind, String spec) {
    RgbImage hr = Shared.referenceImage("inputs/butterfly_hr.npy");
    // The references blur with the stored float32 kernel; blur with it too, and with our own kernel.
    Blur stored = new Blur(storedKernel(kind));
    Blur ours = Degradations.blur(spec, 2, KernelSource.NONE);
    RgbImage expected = Shared.referenceImage("blur/butterfly_blur_" + kind + ".npy");
    for (Blur b : new Blur[] {stored, ours}) {
      RgbImage out = OpRunner.run(hr, b::apply);
      assertEquals(expected.height(), out.height());
      assertEquals(expected.width(), out.width());
      double err = Arrays2.maxAbsDiff(expected.data(), out.data());
      System.out.printf("reference blur %-5s (%s kernel): max abs error %.3g (outer 7 px: %.3g)%n", kind,
          b == stored ? "stored" : "generated", err, DownsamplerReferenceTest.borderMaxAbsDiff(expected, out, 7));
      assertTrue(err <= TOLERANCE, "max abs error " + err);
    }
  }

  @ParameterizedTest(name = "{0} blur + bicubic-sym x2")
  @CsvSource({"iso, gaussian:15:1.6", "aniso, 'gaussian:15:2.5,1.0,30'"})
  void blurThenDownscaleMatchesReference(String kind, String blurSpec) {
    RgbImage hr = Shared.referenceImage("inputs/butterfly_hr.npy");
    // INDEX: the blurred image is downscaled with the mirrored-border MATLAB bicubic.
    Degradation a = Degradations.parse(blurSpec + "+bicubic-sym", 2);
    RgbImage expected = Shared.referenceImage("blur/butterfly_blur_" + kind + "_down_x2.npy");
    RgbImage out = OpRunner.run(hr, a);
    assertEquals(expected.height(), out.height());
    assertEquals(expected.width(), out.width());
    double err = Arrays2.maxAbsDiff(expected.data(), out.data());
    System.out.printf("reference %s x2: max abs error %.3g (outer 3 px: %.3g)%n", a.spec(), err,
        DownsamplerReferenceTest.borderMaxAbsDiff(expected, out, 3));
    assertTrue(err <= TOLERANCE, "max abs error " + err);
  }

  private static BlurKernel storedKernel(String kind) {
    Npy.Array ref = Npy.read(Shared.reference("blur/gauss_" + kind + "_kernel.npy"));
    double[] v = new double[ref.data().length];
    for (int i = 0; i < v.length; i++) {
      v[i] = ref.data()[i];
    }
    return new BlurKernel("kernel:gauss_" + kind + "_kernel.npy", ref.dim(0), ref.dim(1), v);
  }

  static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
