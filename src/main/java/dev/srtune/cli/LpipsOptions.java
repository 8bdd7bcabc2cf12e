package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.graph.lpips.LpipsNet;
import dev.srtune.metrics.LpipsWeightFiles;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Option;

/** Which LPIPS backbone to use and where its weights are (a picocli mixin of {@code metrics} and {@code tune}). */
public final class LpipsOptions {
  private static final Logger LOG = LogManager.getLogger(LpipsOptions.class);

  @Option(names = "--lpips", defaultValue = "auto",
      description = "LPIPS v0.1 backbone: alex (the official default), vgg, squeeze, auto (the first of those whose "
          + "weights are on this machine) or none. Default: ${DEFAULT-VALUE}.")
  String net;

  @Option(names = "--lpips-weights", paramLabel = "DIR",
      description = "Folder with the LPIPS heads (linear_v0.1/<net>.pth) and torchvision backbone files; also "
          + "searched: $SRTUNE_MODEL_MIRROR/lpips and the model cache.")
  Path weightsDir;

  /**
   * The weight files to use, or empty when LPIPS is off ({@code none}) or, unless {@code required}, when no
   * backbone is on this machine (logged in one sentence). With {@code required} a missing backbone is an error.
   */
  private boolean saidLeftOut;

  Optional<LpipsWeightFiles> files(boolean required) {
    if (net.equals("none")) {
      if (required) {
        throw new UserInputException("--lpips none turns LPIPS off, but it is needed here; give --lpips squeeze, "
            + "alex or vgg.");
      }
      return Optional.empty();
    }
    if (net.equals("auto")) {
      Optional<LpipsWeightFiles> any = LpipsWeightFiles.findAny(weightsDir);
      if (any.isEmpty()) {
        var dirs = LpipsWeightFiles.searchDirs(weightsDir);
        String msg = "LPIPS is left out: no backbone weights for alex, vgg or squeeze were found"
            + (dirs.isEmpty() ? "" : " in " + dirs) + "; pass --lpips-weights DIR or set $SRTUNE_MODEL_MIRROR.";
        if (required) {
          throw new UserInputException(msg);
        }
        if (!saidLeftOut) { // files() is asked more than once per command (LR metrics, HR metrics): say it once
          LOG.info(msg);
          saidLeftOut = true;
        }
      }
      return any;
    }
    LpipsNet n;
    try {
      n = LpipsNet.fromId(net);
    } catch (IllegalArgumentException e) {
      throw new UserInputException("Unknown --lpips '" + net + "'; use alex, vgg, squeeze, auto or none.");
    }
    Optional<LpipsWeightFiles> f = LpipsWeightFiles.find(n, weightsDir);
    if (f.isEmpty()) {
      if (required) {
        throw new UserInputException(LpipsWeightFiles.missingMessage(n, weightsDir));
      }
      LOG.warn(LpipsWeightFiles.missingMessage(n, weightsDir));
    }
    return f;
  }
}
