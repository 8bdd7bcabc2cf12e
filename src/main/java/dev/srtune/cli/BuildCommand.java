package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.report.Outputs;
import dev.srtune.graph.enhancenet.EnhanceNetImporter;
import dev.srtune.graph.tfimport.FrozenGraphImporter;
import dev.srtune.graph.tfimport.GraphImport;
import dev.srtune.graph.tfimport.KerasImporter;
import dev.srtune.graph.tfimport.MetaGraphImporter;
import dev.srtune.graph.tfimport.SavedModelImporter;
import dev.srtune.model.ModelStore;
import dev.srtune.model.UpscalerJsModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code srtune build <network>}: write an SR network as a SavedModel with srtune's signature. */
@Command(name = "build", mixinStandardHelpOptions = true,
    description = "Build an SR network as a SavedModel (signature serving_default: lr -> sr, both RGB [0,1]).",
    subcommands = {BuildCommand.EnhanceNetCommand.class, BuildCommand.UpscalerJsCommand.class,
        BuildCommand.GraphDefCommand.class, BuildCommand.CheckpointCommand.class,
        BuildCommand.SavedModelCommand.class, BuildCommand.KerasCommand.class})
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
      new Outputs().savedModel(out, "--out").reads(checkpoint, "--checkpoint").check();
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

  /** {@code srtune build upscalerjs}. */
  @Command(name = "upscalerjs", mixinStandardHelpOptions = true,
      description = "A TF.js layers model of an UpscalerJS npm package (ESRGAN slim/medium/thick, esrgan-legacy "
          + "psnr-small/gans/div2k), rebuilt as plain ops; --scale other than the model's own adapts its upsampling.")
  public static final class UpscalerJsCommand implements Callable<Integer> {
    @Option(names = "--package", required = true, paramLabel = "DIR|NAME",
        description = "An unpacked package folder, or a package name (esrgan-slim, @upscalerjs/esrgan-legacy...) "
            + "fetched with npm into the cache.")
    String packageDirOrName;

    @Option(names = "--model", defaultValue = "x4",
        description = "Model folder under models/: x2, x3, x4, x8, gans, psnr-small, div2k/x4... Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--scale", description = "Scale to build for (default: the model's own).")
    Integer scale;

    @Option(names = "--input-range", description = "Value range the network works in, 255 or 1 (default: 255 for "
        + "RDN, 1 for RRDN models, as UpscalerJS declares).")
    Float inputRange;

    @Option(names = "--out", required = true, description = "SavedModel directory to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (scale != null && (scale < 1 || scale > 16)) {
        throw new UserInputException("--scale must be between 1 and 16, not " + scale + ".");
      }
      if (inputRange != null && !(inputRange > 0)) {
        throw new UserInputException("--input-range must be positive (255 or 1).");
      }
      Path pkg = Path.of(packageDirOrName);
      new Outputs().savedModel(out, "--out").reads(Files.exists(pkg) ? pkg : null, "--package").check();
      Path dir = UpscalerJsModels.packageDir(packageDirOrName);
      var imported = UpscalerJsModels.build(dir, model, scale == null ? 0 : scale, inputRange == null ? 0 : inputRange,
          out);
      System.out.println("wrote " + model + " (" + imported.architecture().name().toLowerCase(java.util.Locale.ROOT)
          + ", native x" + imported.nativeScale() + ") as a x" + imported.scale() + " SavedModel to " + out
          + (imported.surgery().isEmpty() ? "" : "; " + imported.surgery()));
      return 0;
    }
  }

  /** {@code srtune build graphdef}. */
  @Command(name = "graphdef", mixinStandardHelpOptions = true,
      description = "A frozen TensorFlow GraphDef (.pb, weights as constants): the weight constants are thawed into "
          + "variables so the network can be fine-tuned; input, output and scale are found where unambiguous.")
  public static final class GraphDefCommand implements Callable<Integer> {
    @Option(names = "--graph", required = true, paramLabel = "FILE.pb", description = "The frozen graph.")
    Path graph;

    @Mixin GraphImportOptions o;

    @Override
    public Integer call() throws Exception {
      var options = o.importOptions();
      new Outputs().savedModel(o.out, "--out").reads(graph, "--graph").check();
      if (!Files.isRegularFile(graph)) {
        throw new UserInputException("--graph " + graph + " does not exist; pass a frozen GraphDef .pb file.");
      }
      return o.write(graph.getFileName().toString(), () -> FrozenGraphImporter.build(graph, options, o.out),
          imported -> imported.variables() + " weight constants thawed into variables");
    }
  }

  /** {@code srtune build checkpoint}. */
  @Command(name = "checkpoint", mixinStandardHelpOptions = true,
      description = "A TF1 meta graph (.ckpt.meta) and its checkpoint: the inference subgraph from input to output is "
          + "kept (training ops, queues, summaries and savers are dropped) and its variables restored.")
  public static final class CheckpointCommand implements Callable<Integer> {
    @Option(names = "--meta", required = true, paramLabel = "FILE.ckpt.meta", description = "The meta graph.")
    Path meta;

    @Option(names = "--checkpoint", paramLabel = "PREFIX",
        description = "The checkpoint prefix, e.g. model.ckpt-1000 (default: the meta file's name without .meta).")
    Path checkpoint;

    @Mixin GraphImportOptions o;

    @Override
    public Integer call() throws Exception {
      var options = o.importOptions();
      Path ckpt = checkpoint != null ? checkpoint : MetaGraphImporter.defaultCheckpoint(meta);
      new Outputs().savedModel(o.out, "--out").reads(meta, "--meta").reads(ckpt, "--checkpoint").check();
      if (!Files.isRegularFile(meta)) {
        throw new UserInputException("--meta " + meta + " does not exist; pass the .meta file of a TF1 checkpoint.");
      }
      if (!MetaGraphImporter.checkpointExists(ckpt)) {
        throw new UserInputException("No checkpoint " + ckpt + " (neither " + ckpt.getFileName() + ".index nor the "
            + "file itself exists); pass its prefix with --checkpoint.");
      }
      return o.write(meta.getFileName() + " with " + ckpt.getFileName(),
          () -> MetaGraphImporter.build(meta, ckpt, options, o.out), imported -> imported.variables() + " variables");
    }
  }

  /** {@code srtune build savedmodel}. */
  @Command(name = "savedmodel", mixinStandardHelpOptions = true,
      description = "A TF2/Keras SavedModel whose network lives in functions (StatefulPartitionedCall): the function "
          + "bodies are inlined into plain ops, recursively, so every op's gradient is available; its variables stay "
          + "variables. --input/--output take signature keys or tensor names.")
  public static final class SavedModelCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The SavedModel folder.")
    Path dir;

    @Option(names = "--signature", paramLabel = "NAME",
        description = "The signature to import (default: serving_default, or the only one).")
    String signature;

    @Mixin GraphImportOptions o;

    @Override
    public Integer call() throws Exception {
      var options = o.importOptions();
      new Outputs().savedModel(o.out, "--out").reads(dir, "--dir").check();
      if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
        throw new UserInputException("--dir " + dir + " holds no saved_model.pb; pass the folder of a SavedModel.");
      }
      return o.write(dir.getFileName().toString(), () -> SavedModelImporter.build(dir, signature, options, o.out),
          imported -> imported.functionsInlined() + " function calls inlined, " + imported.variables() + " variables");
    }
  }

  /** {@code srtune build keras}. */
  @Command(name = "keras", mixinStandardHelpOptions = true,
      description = "A Keras full-model HDF5 file (model.save('x.h5')): its model_config layers are rebuilt as plain "
          + "ops with variables (the layer builders of build upscalerjs) from its model_weights, at any input size.")
  public static final class KerasCommand implements Callable<Integer> {
    @Option(names = "--h5", required = true, paramLabel = "FILE.h5", description = "The Keras model file.")
    Path h5;

    @Mixin GraphImportOptions o;

    @Override
    public Integer call() throws Exception {
      var options = o.importOptions();
      new Outputs().savedModel(o.out, "--out").reads(h5, "--h5").check();
      if (!Files.isRegularFile(h5)) {
        throw new UserInputException("--h5 " + h5 + " does not exist; pass a Keras model saved with model.save().");
      }
      return o.write(h5.getFileName().toString(), () -> KerasImporter.build(h5, options, o.out),
          imported -> imported.variables() + " variables");
    }
  }
}
