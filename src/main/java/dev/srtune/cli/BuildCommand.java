package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.graph.enhancenet.EnhanceNetImporter;
import dev.srtune.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code srtune build <network>}: write an SR network as a SavedModel with srtune's signature. */
@Command(name = "build", mixinStandardHelpOptions = true,
    description = "Build an SR network as a SavedModel (signature serving_default: lr -> sr, both RGB [0,1]).",
    subcommands = {BuildCommand.EnhanceNetCommand.class})
public final class BuildCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** {@code srtune build enhancenet}. */
  @Command(name = "enhancenet", mixinStandardHelpOptions = true,
      description = "EnhanceNet-PAT from its original TF v1 checkpoint, at scale 4 (original), 2 or 3 (Figure 2 surgery).")
  public static final class EnhanceNetCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", description = "The original 'weights' file (default: fetched into the cache).")
    Path checkpoint;

    @Option(names = "--scale", defaultValue = "4", description = "2, 3 or 4. Default: ${DEFAULT-VALUE}.")
    int scale;

    @Option(names = "--out", required = true, description = "SavedModel directory to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (scale < 2 || scale > 4) {
        throw new UserInputException("EnhanceNet can be built for --scale 2, 3 or 4, not " + scale + ".");
      }
      Path ckpt = checkpoint != null ? checkpoint : ModelStore.ensure(ModelStore.ENHANCENET_WEIGHTS);
      if (!Files.isRegularFile(ckpt)) {
        throw new UserInputException("Checkpoint " + ckpt + " does not exist; pass the original EnhanceNet 'weights' "
            + "file or run 'scripts/fetch-models.sh enhancenet'.");
      }
      try {
        EnhanceNetImporter.build(ckpt, scale, out);
      } catch (org.tensorflow.exceptions.TensorFlowException e) {
        throw new UserInputException("Could not restore EnhanceNet from " + ckpt + " (" + e.getMessage().lines()
            .findFirst().orElse("") + "); pass the original single-file EnhanceNet checkpoint.", e);
      }
      System.out.println("wrote EnhanceNet x" + scale + " SavedModel to " + out);
      return 0;
    }
  }
}
