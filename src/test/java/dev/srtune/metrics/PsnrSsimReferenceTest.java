package dev.srtune.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.ReferenceIndex;
import dev.srtune.testing.Shared;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PSNR (RGB and Y) and SSIM (Y) against the float64 numbers in INDEX.json ("metrics"). */
@Tag("integration")
class PsnrSsimReferenceTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"butterfly_x2", "bird_x3"})
  void matchesReference(String pair) {
    JsonObject ref = ReferenceIndex.section("metrics", pair);
    RgbImage hr = Shared.referenceImage(ref.getAsJsonArray("pair").get(0).getAsString());
    RgbImage sr = Shared.referenceImage(ref.getAsJsonArray("pair").get(1).getAsString());
    int shave = ref.get("shave").getAsInt();
    double psnrRgb = Psnr.rgb(hr, sr);
    double psnrY = Psnr.y(hr, sr, shave);
    double ssimY = Ssim.y(hr, sr, shave);
    System.out.printf("%s: psnr_rgb %.6f (diff %.2g), psnr_y %.6f (diff %.2g), ssim_y %.6f (diff %.2g)%n", pair,
        psnrRgb, psnrRgb - ref.get("psnr_rgb").getAsDouble(), psnrY, psnrY - ref.get("psnr_y").getAsDouble(), ssimY,
        ssimY - ref.get("ssim_y").getAsDouble());
    // INDEX.json rounds to 6 decimals; the reference recomputed from the stored float32 arrays differs by <= 1e-6.
    assertEquals(ref.get("psnr_rgb").getAsDouble(), psnrRgb, 1e-5);
    assertEquals(ref.get("psnr_y").getAsDouble(), psnrY, 1e-5);
    assertEquals(ref.get("ssim_y").getAsDouble(), ssimY, 1e-5);
    assertEquals(ref.get("mse_y").getAsDouble(), 255.0 * 255.0 / Math.pow(10, psnrY / 10), 1e-4);
  }
}
