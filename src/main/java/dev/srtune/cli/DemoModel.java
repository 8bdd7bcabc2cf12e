package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.graph.enhancenet.EnhanceNetImporter;
import dev.srtune.model.ModelStore;
import dev.srtune.model.NpmPackages;
import dev.srtune.model.UpscalerJsModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The networks {@code srtune demo} can run, by their {@code --model} name. Each fetches what it needs, builds its
 * SavedModel for the demo's scale (once, under {@code saved-models/}) and names the HR image the LR is made from.
 */
enum DemoModel {
  /** EnhanceNet-PAT ×4 from its original checkpoint, on its demo image eagle.png. */
  ENHANCENET("enhancenet") {
    @Override
    Prepared prepare(Path home, int s) throws IOException {
      Path weights = ModelStore.ensure(ModelStore.ENHANCENET_WEIGHTS);
      Path eagle = ModelStore.ensure(ModelStore.ENHANCENET_EAGLE);
      Path model = home.resolve("saved-models").resolve("enhancenet-x" + s);
      if (!Files.isRegularFile(model.resolve("saved_model.pb"))) {
        System.err.println("building EnhanceNet for x" + s + " into " + model);
        EnhanceNetImporter.build(weights, s, model);
      }
      return new Prepared("EnhanceNet (x4 network at x" + s + ") on eagle.png", model, eagle);
    }
  },

  /** UpscalerJS' ESRGAN slim ×4 (RDN, MIT) from npm, on its package's fixture.png: needs nothing but npm. */
  ESRGAN_SLIM("esrgan-slim") {
    @Override
    Prepared prepare(Path home, int s) throws IOException {
      Path pkg = NpmPackages.ensure(UpscalerJsModels.ESRGAN_SLIM);
      Path model = home.resolve("saved-models").resolve("esrgan-slim-x4-at-x" + s);
      if (!Files.isRegularFile(model.resolve("saved_model.pb"))) {
        System.err.println("building " + UpscalerJsModels.ESRGAN_SLIM.spec() + " models/x4 for x" + s + " into "
            + model);
        UpscalerJsModels.build(pkg, "x4", s, 0, model);
      }
      return new Prepared("ESRGAN slim (x4 network at x" + s + ") on fixture.png", model,
          pkg.resolve(UpscalerJsModels.FIXTURE));
    }
  };

  /** What {@link #prepare} made ready: a title for the log, the SavedModel and the HR image. */
  record Prepared(String title, Path model, Path hr) {}

  final String cliName;

  DemoModel(String cliName) {
    this.cliName = cliName;
  }

  /** Fetches and builds; a UserInputException says what could not be fetched. */
  abstract Prepared prepare(Path home, int scale) throws IOException;

  static DemoModel byName(String name) {
    return Arrays.stream(values()).filter(d -> d.cliName.equals(name)).findFirst()
        .orElseThrow(() -> new UserInputException("Unknown demo --model '" + name + "'; use one of "
            + Arrays.stream(values()).map(d -> d.cliName).collect(Collectors.joining(", ")) + "."));
  }
}
