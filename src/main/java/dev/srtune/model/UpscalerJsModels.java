package dev.srtune.model;

import dev.srtune.UserInputException;
import dev.srtune.graph.tfjs.TfjsImporter;
import dev.srtune.graph.tfjs.TfjsModelException;
import dev.srtune.model.NpmPackages.NpmPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The UpscalerJS model packages on npm (MIT): ESRGAN slim/medium/thick (RDN, ×2/×3/×4/×8 in {@code models/x<n>})
 * and esrgan-legacy (idealo ISR's {@code psnr-small} RDN ×2, {@code gans} RRDN ×4, {@code div2k/x<n>} RDN). Each
 * package ships {@code assets/fixture.png} and sample results of its models on it. Versions are pinned with
 * their published integrity.
 */
public final class UpscalerJsModels {
  public static final NpmPackage ESRGAN_SLIM = new NpmPackage("@upscalerjs/esrgan-slim", "1.0.0",
      "sha512-DXtwn5SE71+pZKluN/hGeLaZv6ZylyFQYSvMqU08kKCEA5Y9Q1cIIk4EvPTPZw8VqGi2C6F02c8OjhtId4BK2w==");
  public static final NpmPackage ESRGAN_MEDIUM = new NpmPackage("@upscalerjs/esrgan-medium", "1.0.0",
      "sha512-Z8JnR87sgetPABKevasXST3FdnXhaoTu9zpXnu3KLaHYpYStVt0FD1VZS9c6jhSGMBC0H929gN9RbWl+MeisKA==");
  public static final NpmPackage ESRGAN_THICK = new NpmPackage("@upscalerjs/esrgan-thick", "1.0.0",
      "sha512-Xt7LAEa1WYVdU8teye1A2J3T2ylb3ihlU/x01x1ieM7zZh5FzTll6fwmeUC82mkztWloGZM65KdSEWOmhlXOdw==");
  public static final NpmPackage ESRGAN_LEGACY = new NpmPackage("@upscalerjs/esrgan-legacy", "1.0.0",
      "sha512-05gqt3U2BH/d2jq8Oy13QPk8JPZrK6ylhaqGiIThHiOtkld+0xDTXl6FavhObPwODq0hal6m/AlEaHKv35pD8Q==");
  public static final List<NpmPackage> PACKAGES = List.of(ESRGAN_SLIM, ESRGAN_MEDIUM, ESRGAN_THICK, ESRGAN_LEGACY);
  public static final String FIXTURE = "assets/fixture.png";

  private UpscalerJsModels() {}

  /** A pinned package by its name with or without scope and version: esrgan-slim, @upscalerjs/esrgan-slim@1.0.0. */
  public static NpmPackage byName(String name) {
    for (NpmPackage p : PACKAGES) {
      String shortName = p.name().substring(p.name().indexOf('/') + 1);
      if (name.equals(p.name()) || name.equals(shortName) || name.equals(p.spec())
          || name.equals(shortName + "@" + p.version())) {
        return p;
      }
    }
    throw new UserInputException("'" + name + "' is not a known UpscalerJS package; use one of "
        + PACKAGES.stream().map(NpmPackage::spec).collect(Collectors.joining(", "))
        + " or a folder holding an unpacked package.");
  }

  /** Fetches every pinned package with npm (for {@code scripts/fetch-models.sh upscalerjs}); returns their folders. */
  public static List<Path> fetchAll() {
    return PACKAGES.stream().map(NpmPackages::ensure).toList();
  }

  /** An unpacked package folder as given, or the named package fetched with npm into the cache. */
  public static Path packageDir(String dirOrName) {
    Path dir = Path.of(dirOrName);
    if (Files.isDirectory(dir)) {
      return dir;
    }
    if ((dirOrName.contains("/") && !dirOrName.startsWith("@")) || dirOrName.startsWith(".")) {
      throw new UserInputException("Package folder " + dirOrName + " does not exist; pass an unpacked package "
          + "folder or a package name such as esrgan-slim.");
    }
    return NpmPackages.ensure(byName(dirOrName));
  }

  /** {@code models/<model>/model.json} of a package folder (or {@code <model>/model.json}). */
  public static Path modelJson(Path packageDir, String model) {
    for (Path p : List.of(packageDir.resolve("models").resolve(model).resolve("model.json"),
        packageDir.resolve(model).resolve("model.json"))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new UserInputException("Package " + packageDir + " has no model '" + model + "' (no models/" + model
        + "/model.json); its models: " + String.join(", ", listModels(packageDir)) + ".");
  }

  /** The model folders under {@code models/}, e.g. x2, x4, div2k/x4, gans. */
  public static List<String> listModels(Path packageDir) {
    Path models = packageDir.resolve("models");
    if (!Files.isDirectory(models)) {
      return List.of();
    }
    try (var s = Files.walk(models)) {
      return s.filter(p -> p.getFileName().toString().equals("model.json"))
          .map(p -> models.relativize(p.getParent()).toString().replace('\\', '/')).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Imports {@code model} of the package as an srtune SavedModel at {@code scale} (0 = native). Errors in the
   * model or an impossible scale come back as one-sentence {@link UserInputException}s.
   */
  public static TfjsImporter.Imported build(Path packageDir, String model, int scale, float valueRange, Path out)
      throws IOException {
    Path json = modelJson(packageDir, model);
    Map<String, Object> meta = new LinkedHashMap<>();
    String pkg = packageName(packageDir);
    meta.put("name", pkg.substring(pkg.indexOf('/') + 1) + "-" + model.replace('/', '-'));
    meta.put("source", "npm package " + pkg + ", " + packageDir.relativize(json).toString().replace('\\', '/'));
    meta.put("licence", "MIT (UpscalerJS; weights trained with idealo ISR on DIV2K)");
    meta.put("training_downsampler", "bicubic");
    try {
      return TfjsImporter.build(json, new TfjsImporter.Options(scale, valueRange, meta), out);
    } catch (TfjsModelException e) {
      throw new UserInputException(e.getMessage(), e);
    }
  }

  /** name@version from the folder's package.json, or the folder name. */
  static String packageName(Path packageDir) {
    try {
      var pj = com.google.gson.JsonParser.parseString(Files.readString(packageDir.resolve("package.json")))
          .getAsJsonObject();
      return pj.get("name").getAsString() + "@" + pj.get("version").getAsString();
    } catch (IOException | RuntimeException e) {
      return packageDir.getFileName().toString();
    }
  }
}
