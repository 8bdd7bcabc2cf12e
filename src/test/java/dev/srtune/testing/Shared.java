package dev.srtune.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code ../shared} (weights, datasets, reference vectors) through {@code SRTUNE_SHARED}. Tests that
 * need it are skipped, with the reason shown, when it is unset.
 */
public final class Shared {
  public static final String ENV = "SRTUNE_SHARED";

  private Shared() {}

  public static Path dir() {
    String v = System.getenv(ENV);
    assumeTrue(v != null && !v.isBlank(), ENV + " is not set: skipped (point it at ../shared, as .ci/run does)");
    Path p = Path.of(v);
    assumeTrue(Files.isDirectory(p), ENV + "=" + v + " is not a directory: skipped");
    return p;
  }

  public static Path path(String relative) {
    Path p = dir().resolve(relative);
    assumeTrue(Files.exists(p), p + " is missing: skipped");
    return p;
  }

  public static Path reference(String relative) {
    return path("reference/" + relative);
  }

  public static RgbImage referenceImage(String relative) {
    return Npy.read(reference(relative)).toImage();
  }

  public static Path enhanceNetCheckpoint() {
    return path("models/enhancenet/weights");
  }
}
