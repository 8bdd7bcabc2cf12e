package dev.srtune.graph.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.graph.savedmodel.SrSignature;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.model.NpmPackages.NpmPackage;
import dev.srtune.model.UpscalerJsModels;
import dev.srtune.testing.Npm;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

/**
 * Each imported UpscalerJS model, at its native scale, on its package's {@code assets/fixture.png}, reproduces the
 * package's own sample result (made by the TF.js runtime) on at least 99.5 % of 8-bit samples within ±1 level.
 */
@Tag("npm")
class UpscalerJsFidelityTest {
  static final double MIN_WITHIN_ONE = 0.995;
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "esrgan-slim, x2, assets/samples/2x/result.png",
      "esrgan-slim, x3, assets/samples/3x/result.png",
      "esrgan-slim, x4, assets/samples/4x/result.png",
      "esrgan-medium, x2, assets/samples/2x/result.png",
      "esrgan-medium, x3, assets/samples/3x/result.png",
      "esrgan-medium, x4, assets/samples/4x/result.png",
      "esrgan-legacy, psnr-small, assets/samples/psnr-small/result.png",
      "esrgan-legacy, gans, assets/samples/gans/result.png",
      "esrgan-legacy, div2k/x2, assets/samples/div2k/2x/result.png",
      "esrgan-legacy, div2k/x3, assets/samples/div2k/3x/result.png",
      "esrgan-legacy, div2k/x4, assets/samples/div2k/4x/result.png"})
  void importReproducesPackageSample(String packageName, String model, String sample) throws Exception {
    checkFidelity(packageName, model, sample);
  }

  /** ESRGAN thick: RRDN, 64 features, 120 MB of shards; its ×8 model is the one ×8 sample any package ships. */
  @Tag("slow")
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "esrgan-thick, x2, assets/samples/2x/result.png",
      "esrgan-thick, x3, assets/samples/3x/result.png",
      "esrgan-thick, x4, assets/samples/4x/result.png",
      "esrgan-thick, x8, assets/samples/8x/result.png"})
  void thickImportReproducesPackageSample(String packageName, String model, String sample) throws Exception {
    checkFidelity(packageName, model, sample);
  }

  void checkFidelity(String packageName, String model, String sample) throws Exception {
    NpmPackage pkg = UpscalerJsModels.byName(packageName);
    Path dir = Npm.packageDir(pkg);
    Path out = tmp.resolve("model");
    UpscalerJsModels.build(dir, model, 0, 0, out);
    RgbImage fixture = ImageFiles.read(dir.resolve(UpscalerJsModels.FIXTURE));
    RgbImage expected = ImageFiles.read(dir.resolve(sample));
    RgbImage sr = run(out, fixture);
    assertEquals(expected.height(), sr.height());
    assertEquals(expected.width(), sr.width());
    int n = expected.data().length;
    int withinOne = 0;
    int exact = 0;
    int maxDiff = 0;
    for (int i = 0; i < n; i++) {
      int d = Math.abs(RgbImage.to8bit(sr.data()[i]) - RgbImage.to8bit(expected.data()[i]));
      withinOne += d <= 1 ? 1 : 0;
      exact += d == 0 ? 1 : 0;
      maxDiff = Math.max(maxDiff, d);
    }
    double frac = withinOne / (double) n;
    System.out.printf(Locale.ROOT, "fidelity %s %s: %.3f%% of samples within +-1, %.3f%% exact, max diff %d%n",
        pkg.spec(), model, 100 * frac, 100.0 * exact / n, maxDiff);
    assertTrue(frac >= MIN_WITHIN_ONE, String.format(Locale.ROOT, "%s %s: only %.3f%% within +-1", pkg.spec(),
        model, 100 * frac));
  }

  static RgbImage run(Path model, RgbImage in) {
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), SrSignature.TAG);
        TFloat32 x = in.toTensor();
        TFloat32 y = (TFloat32) b.session().runner().feed(SrSignature.INPUT, x).fetch(SrSignature.OUTPUT).run()
            .get(0)) {
      return RgbImage.fromTensor(y);
    }
  }
}
