package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.model.ModelStore;
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
  @Parameters(paramLabel = "MODEL", description = "enhancenet")
  List<String> models;

  @Override
  public Integer call() {
    for (String m : models) {
      switch (m) {
        case "enhancenet" -> {
          print(ModelStore.ensure(ModelStore.ENHANCENET_WEIGHTS));
          print(ModelStore.ensure(ModelStore.ENHANCENET_EAGLE));
        }
        default -> throw new UserInputException("Unknown model '" + m + "'; use enhancenet.");
      }
    }
    return 0;
  }

  private static void print(Path p) {
    System.out.println(p);
  }
}
