package dev.srtune.cli;

import dev.srtune.graph.enhancenet.EnhanceNetImporter;
import dev.srtune.model.ModelStore;
import dev.srtune.model.NpmPackages;
import dev.srtune.model.UpscalerJsModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A network the demo can run: it fetches what it needs, builds its SavedModel for the demo's scale (once, under
 * {@code saved-models/}) and names the HR image the LR is made from. Found by name in {@link #ALL}.
 */
interface DemoModel {

  /** What {@link #prepare} made ready. */
  record Prepared(String title, Path model, Path hr) {}

  String name();

  /** Fetches and builds; a UserInputException says what could not be fetched. */
  Prepared prepare(Path home, int scale) throws IOException;

  /** EnhanceNet-PAT ×4 from its original checkpoint, on its demo image eagle.png. */
  DemoModel ENHANCENET = new DemoModel() {
    @Override
    public String name() {
      return "enhancenet";
    }

    @Override
    public Prepared prepare(Path home, int s) throws IOException {
      Path weights = ModelStore.ensure(ModelStore.ENHANCENET_WEIGHTS);
      Path eagle = ModelStore.ensure(ModelStore.ENHANCENET_EAGLE);
      Path model = home.resolve("saved-models").resolve("enhancenet-x" + s);
      if (!Files.isRegularFile(model.resolve("saved_model.pb"))) {
        System.err.println("building EnhanceNet for x" + s + " into " + model);
        EnhanceNetImporter.build(weights, s, model);
      }
      return new Prepared("EnhanceNet (x4 network at x" + s + ") on eagle.png", model, eagle);
    }
  };

  /** UpscalerJS' ESRGAN slim ×4 (RDN, MIT, from npm) on its package's fixture.png: needs only npm. */
  DemoModel ESRGAN_SLIM = new DemoModel() {
    @Override
    public String name() {
      return "esrgan-slim";
    }

    @Override
    public Prepared prepare(Path home, int s) throws IOException {
      Path pkg = NpmPackages.ensure(UpscalerJsModels.ESRGAN_SLIM);
      Path model = home.resolve("saved-models").resolve("esrgan-slim-x4-at-x" + s);
      if (!Files.isRegularFile(model.resolve("saved_model.pb"))) {
        System.err.println("building " + UpscalerJsModels.ESRGAN_SLIM.spec() + " models/x4 for x" + s + " into " + model);
        UpscalerJsModels.build(pkg, "x4", s, 0, model);
      }
      return new Prepared("ESRGAN slim (x4 network at x" + s + ") on fixture.png", model,
          pkg.resolve(UpscalerJsModels.FIXTURE));
    }
  };

  List<DemoModel> ALL = List.of(ENHANCENET, ESRGAN_SLIM);

  static DemoModel byName(String name) {
    return ALL.stream().filter(d -> d.name().equals(name)).findFirst()
        .orElseThrow(() -> new dev.srtune.UserInputException("Unknown demo --model '" + name + "'; use one of "
            + ALL.stream().map(DemoModel::name).collect(Collectors.joining(", ")) + "."));
  }
}
