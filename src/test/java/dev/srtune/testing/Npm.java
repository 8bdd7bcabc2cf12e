package dev.srtune.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.srtune.model.NpmPackages;
import dev.srtune.model.NpmPackages.NpmPackage;
import java.nio.file.Path;

/**
 * npm packages for tests, fetched through srtune's own {@link NpmPackages} into the model cache. Tests that need
 * them are skipped, with the reason shown, where npm is not installed.
 */
public final class Npm {
  private static Boolean available;

  private Npm() {}

  public static synchronized Path packageDir(NpmPackage p) {
    if (available == null) {
      available = NpmPackages.npmAvailable();
    }
    assumeTrue(available, "npm is not on the PATH: skipped (it fetches " + p.spec() + ")");
    return NpmPackages.ensure(p);
  }
}
