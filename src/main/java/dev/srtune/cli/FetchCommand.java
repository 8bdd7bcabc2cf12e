package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.graph.lpips.LpipsNet;
import dev.srtune.metrics.LpipsWeightFiles;
import dev.srtune.model.ModelStore;
import dev.srtune.model.UpscalerJsModels;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code srtune fetch <model>}: put a model's original files into the cache (what scripts/fetch-models.sh runs). */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = "Fetch a model's original files into the cache ($SRTUNE_CACHE or ~/.cache/srtune), copying from "
        + "$SRTUNE_MODEL_MIRROR/<model>/ when set; every file is checked against its published sha256.")
public final class FetchCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "enhancenet, lpips, upscalerjs")
  List<String> models;

  @Override
  public Integer call() {
    for (String m : models) {
      switch (m) {
        case "enhancenet" -> {
          print(ModelStore.ensure(ModelStore.ENHANCENET_WEIGHTS));
          print(ModelStore.ensure(ModelStore.ENHANCENET_EAGLE));
        }
        case "lpips" -> fetchLpips();
        case "upscalerjs" -> UpscalerJsModels.fetchAll().forEach(FetchCommand::print);
        default -> throw new UserInputException("Unknown model '" + m + "'; use enhancenet, lpips or upscalerjs.");
      }
    }
    return 0;
  }

  /**
   * The LPIPS v0.1 heads are fetched; the ImageNet backbones are torchvision's own files, found where torchvision
   * or a mirror keeps them (srtune does not download them itself).
   */
  private static void fetchLpips() {
    for (LpipsNet net : LpipsNet.values()) {
      print(ModelStore.ensure(LpipsWeightFiles.headsAsset(net)));
    }
    for (LpipsNet net : LpipsNet.values()) {
      var files = LpipsWeightFiles.find(net, null);
      if (files.isPresent()) {
        print(files.get().backbone());
      } else {
        System.err.println("No " + net.id() + " backbone here: put torchvision's "
            + String.join(" or ", LpipsWeightFiles.backboneFileNames(net)) + " in "
            + ModelStore.cacheDir().resolve(LpipsWeightFiles.MODEL) + " (loading the model once in torchvision "
            + "downloads it to " + LpipsWeightFiles.torchHubCheckpoints() + ", which srtune also searches).");
      }
    }
  }

  private static void print(Path p) {
    System.out.println(p);
  }
}
