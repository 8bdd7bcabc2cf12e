package dev.srtune.graph.degradation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Properties every operator must have, on small synthetic images. */
class DegradationPropertiesTest {
  private static final String[] SPECS = {"bicubic", "bicubic-sym", "lanczos3", "gaussian:15:1.6+bicubic",
      "gaussian:15:2.5,1,30+bicubic-sym", "disk:5+lanczos3", "random:seed=7,noise=0.4+bicubic"};

  @Test
  void constantImageStaysConstant() {
    for (String spec : SPECS) {
      for (int s : new int[] {2, 3, 4, 8}) {
        RgbImage flat = constant(48, 40, 0.37f);
        RgbImage out = OpRunner.run(flat, Degradations.parse(spec, s));
        double dev = 0;
        for (float v : out.data()) {
          dev = Math.max(dev, Math.abs(v - 0.37));
        }
        assertTrue(dev <= 2e-6, spec + " x" + s + ": deviation " + dev);
      }
    }
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"48, 40", "37, 53", "33, 65", "17, 24"})
  void outputShapeIsFloorOfInputOverScale(int h, int w) {
    for (String spec : SPECS) {
      for (int s : new int[] {2, 3, 4, 8}) {
        Degradation a = Degradations.parse(spec, s);
        if (Math.min(h, w) < a.minInputSize()) {
          continue;
        }
        RgbImage out = OpRunner.run(ramp(h, w), a);
        assertEquals(h / s, out.height(), spec + " x" + s + " height");
        assertEquals(w / s, out.width(), spec + " x" + s + " width");
      }
    }
  }

  @Test
  void blurIsACentredCorrelation() {
    // A single bright pixel away from the border comes out as the kernel itself, not flipped, not shifted.
    BlurKernel k = BlurKernel.anisotropicGaussian(7, 2, 0.6, 30);
    RgbImage dot = constant(15, 15, 0);
    dot.set(7, 7, 1, 1f);
    RgbImage out = OpRunner.run(dot, new Blur(k)::apply);
    double err = 0;
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 7; j++) {
        // correlation: out[7+a, 7+b] = k[3-a, 3-b]
        err = Math.max(err, Math.abs(out.get(7 + i - 3, 7 + j - 3, 1) - k.at(6 - i, 6 - j)));
      }
    }
    assertTrue(err < 1e-7, "error " + err);
    assertEquals(0, out.get(7, 7, 0), 0);
  }

  @Test
  void lanczosTapsAreSymmetricAndNormalised() {
    for (int s : new int[] {2, 3, 4, 8}) {
      double[] t = new LanczosDownsampler(s).taps();
      assertEquals(1, Arrays.stream(t).sum(), 1e-12);
      // The last tap of an odd factor sits at x = 3, where PIL's filter is already 0.
      int n = s % 2 == 0 ? t.length : t.length - 1;
      for (int j = 0; j < n; j++) {
        assertEquals(t[j], t[n - 1 - j], 1e-15, "x" + s + " tap " + j);
      }
    }
  }

  static RgbImage constant(int h, int w, float v) {
    float[] d = new float[h * w * 3];
    Arrays.fill(d, v);
    return new RgbImage(h, w, d);
  }

  static RgbImage ramp(int h, int w) {
    RgbImage img = RgbImage.zeros(h, w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          img.set(y, x, c, (y * 7 + x * 3 + c) % 11 / 10f);
        }
      }
    }
    return img;
  }
}
