package dev.srtune.metrics;

import dev.srtune.UserInputException;
import dev.srtune.graph.lpips.LpipsNet;
import dev.srtune.graph.lpips.LpipsWeights;
import dev.srtune.graph.torch.TorchStateDictReader;
import dev.srtune.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where the LPIPS weights of one backbone are on this machine: the official v0.1 linear heads and torchvision's
 * backbone state dict, read as published. Folders searched, in order: the one given on the command line
 * ({@code --lpips-weights}), {@code $SRTUNE_MODEL_MIRROR/lpips}, and {@code <cache>/lpips} ({@link ModelStore}).
 * and torchvision's own download folder ({@link #torchHubCheckpoints()}). In each: heads as {@code linear_v0.1/<net>.pth}, {@code v0.1/<net>.pth} or {@code <net>.pth}; the backbone
 * under torchvision's file name ({@link #BACKBONE_FILES}). Local files are used as they are (a file of the wrong
 * network fails on its keys and shapes); fetching them is {@code scripts/fetch-models.sh lpips}'s job.
 */
public record LpipsWeightFiles(LpipsNet net, Path backbone, Path heads) {
  private static final Logger LOG = LogManager.getLogger(LpipsWeightFiles.class);
  public static final String MODEL = "lpips";

  /** The official heads, from the LPIPS repository (BSD-2-Clause), with their sha256. */
  public static final ModelStore.Asset HEADS_ALEX = heads("alex",
      "df73285e35b22355a2df87cdb6b70b343713b667eddbda73e1977e0c860835c0");
  public static final ModelStore.Asset HEADS_VGG = heads("vgg",
      "a78928a0af1e5f0fcb1f3b9e8f8c3a2a5a3de244d830ad5c1feddc79b8432868");
  public static final ModelStore.Asset HEADS_SQUEEZE = heads("squeeze",
      "4a5350f23600cb79923ce65bb07cbf57dca461329894153e05a1346bd531cf76");

  /**
   * A backbone file srtune accepts: torchvision's model zoo names its files {@code <arch>-<first 8+ hex digits of
   * the sha256>.pth}; {@code sha256} is the full digest where it is known, else that published prefix.
   */
  public record BackboneFile(LpipsNet net, String file, String sha256, String source) {}

  /** Accepted backbone files, preferred first. Only the torchvision files are official. */
  public static final List<BackboneFile> BACKBONE_FILES = List.of(
      new BackboneFile(LpipsNet.ALEX, "alexnet-owt-7be5be79.pth", "7be5be79", "torchvision model zoo, alexnet"),
      new BackboneFile(LpipsNet.ALEX, "alexnet-owt-4df8aa71.pth", "4df8aa71", "torchvision model zoo, older alexnet"),
      new BackboneFile(LpipsNet.VGG, "vgg16-397923af.pth", "397923af", "torchvision model zoo, vgg16"),
      new BackboneFile(LpipsNet.SQUEEZE, "squeezenet1_1-b8a52dc0.pth",
          "b8a52dc049b60e4b6ab68ad0df457362afab8b6304b2febdc1650a5dab4d7e7b", "torchvision model zoo, squeezenet1_1"),
      new BackboneFile(LpipsNet.SQUEEZE, "squeezenet1_1-features.pth",
          "096eb3c1fde90703c5d5dc4cf56f31ebca5e5dc9f42925d9640ff4bcb5334d60",
          "features-only copy in srtune's shared models (from the MIT-licensed Jittor LPIPS port)"));

  private static ModelStore.Asset heads(String net, String sha256) {
    return new ModelStore.Asset(MODEL, "linear_v0.1/" + net + ".pth",
        "https://github.com/richzhang/PerceptualSimilarity/raw/master/lpips/weights/v0.1/" + net + ".pth", sha256,
        "v0.1/" + net + ".pth", net + ".pth");
  }

  public static ModelStore.Asset headsAsset(LpipsNet net) {
    return switch (net) {
      case ALEX -> HEADS_ALEX;
      case VGG -> HEADS_VGG;
      case SQUEEZE -> HEADS_SQUEEZE;
    };
  }

  public static List<String> backboneFileNames(LpipsNet net) {
    return BACKBONE_FILES.stream().filter(f -> f.net() == net).map(BackboneFile::file).toList();
  }

  /** The folders searched, existing ones only. */
  public static List<Path> searchDirs(Path explicitDir) {
    List<Path> dirs = new ArrayList<>();
    if (explicitDir != null) {
      if (!Files.isDirectory(explicitDir)) {
        throw new UserInputException("--lpips-weights " + explicitDir + " is not a folder; give the folder holding "
            + "linear_v0.1/<net>.pth and the torchvision backbone.");
      }
      dirs.add(explicitDir);
    }
    String mirror = System.getenv(ModelStore.MIRROR_ENV);
    if (mirror != null && !mirror.isBlank()) {
      dirs.add(Path.of(mirror).resolve(MODEL));
    }
    dirs.add(ModelStore.cacheDir().resolve(MODEL));
    dirs.add(torchHubCheckpoints());
    return dirs.stream().filter(Files::isDirectory).distinct().toList();
  }

  /** Where torchvision keeps the backbones it downloaded ({@code $TORCH_HOME/hub/checkpoints}). */
  public static Path torchHubCheckpoints() {
    String torchHome = System.getenv("TORCH_HOME");
    Path home = torchHome != null && !torchHome.isBlank() ? Path.of(torchHome)
        : Path.of(System.getProperty("user.home"), ".cache", "torch");
    return home.resolve("hub").resolve("checkpoints");
  }

  /** The files of {@code net} if its backbone and heads are both on this machine (nothing is downloaded). */
  public static Optional<LpipsWeightFiles> find(LpipsNet net, Path explicitDir) {
    List<Path> dirs = searchDirs(explicitDir);
    Path backbone = first(dirs, backboneFileNames(net));
    ModelStore.Asset h = headsAsset(net);
    List<String> headNames = new ArrayList<>(List.of(h.file()));
    headNames.addAll(List.of(h.mirrorAlternatives()));
    Path heads = first(dirs, headNames);
    if (backbone == null || heads == null) {
      return Optional.empty();
    }
    return Optional.of(new LpipsWeightFiles(net, backbone, heads));
  }

  /**
   * The first network, in the official package's order of preference (alex, vgg, squeeze), whose files are
   * here; empty when none is.
   */
  public static Optional<LpipsWeightFiles> findAny(Path explicitDir) {
    for (LpipsNet n : List.of(LpipsNet.ALEX, LpipsNet.VGG, LpipsNet.SQUEEZE)) {
      Optional<LpipsWeightFiles> f = find(n, explicitDir);
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
  }

  /** One sentence for the user: what is missing and where to put it. */
  public static String missingMessage(LpipsNet net, Path explicitDir) {
    List<Path> dirs = searchDirs(explicitDir);
    return "LPIPS (" + net.id() + ") is not available: no " + String.join(" or ", backboneFileNames(net))
        + " with linear_v0.1/" + net.id() + ".pth" + (dirs.isEmpty() ? "" : " in " + dirs)
        + "; put the torchvision backbone and the LPIPS v0.1 heads in one of them, --lpips-weights DIR or "
        + ModelStore.MIRROR_ENV + "/" + MODEL + ".";
  }

  private static Path first(List<Path> dirs, List<String> names) {
    for (Path d : dirs) {
      for (String n : names) {
        Path p = d.resolve(n);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** Reads both files; a file that is not the expected state dict is the user's to fix. */
  public LpipsWeights load() {
    try {
      // Only the convolutional features: torchvision's files also hold the (much larger) classifier.
      LpipsWeights w = LpipsWeights.from(net, TorchStateDictReader.read(backbone, k -> k.startsWith("features.")),
          TorchStateDictReader.read(heads));
      LOG.debug("LPIPS {} from {} and {}", net.id(), backbone, heads);
      return w;
    } catch (IOException | IllegalArgumentException e) {
      throw new UserInputException("Cannot use " + backbone + " with " + heads + " as LPIPS " + net.id() + " ("
          + e.getMessage() + "); give torchvision's " + backboneFileNames(net).get(0) + " and the official heads.", e);
    }
  }
}
