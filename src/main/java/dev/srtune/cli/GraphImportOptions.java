package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.graph.tfimport.NetworkAdapters;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code build graphdef}, {@code build checkpoint} and {@code build savedmodel}: which tensors
 * are the network's input and output (found by the importer where unambiguous), its scale (measured where not
 * given), its name, and the conventions the network itself uses (channels, value range, residual output).
 */
final class GraphImportOptions {
  @Option(names = "--input", paramLabel = "NAME",
      description = "The input placeholder (default: the only float image placeholder the output is computed from).")
  String input;

  @Option(names = "--output", paramLabel = "NAME[:K]",
      description = "The output node (default: the only image-shaped sink computed from the input alone).")
  String output;

  @Option(names = "--scale", description = "The network's scale (default: measured with one test pass).")
  Integer scale;

  @Option(names = "--name", description = "The model's name in srtune.json (default: the file's name).")
  String name;

  @Option(names = "--channels", defaultValue = "rgb", paramLabel = "rgb|y",
      description = "What the network sees: rgb, or y (the Y of full-range BT.601 YCbCr; Cb and Cr are bicubic-"
          + "upscaled around its output, as OpenCV's dnn_superres does). Default: ${DEFAULT-VALUE}.")
  String channels;

  @Option(names = "--range", defaultValue = "1", paramLabel = "1|255",
      description = "The network's pixel range: 1 for [0,1], 255 for [0,255]. Default: ${DEFAULT-VALUE}.")
  float range;

  @Option(names = "--residual",
      description = "The network outputs a residual that is added to the bicubic upscaling of its input.")
  boolean residual;

  @Option(names = "--out", required = true, description = "SavedModel directory to write.")
  Path out;

  /** Checks the values and returns the adapters they describe. */
  NetworkAdapters adapters() {
    if (scale != null && (scale < 1 || scale > 16)) {
      throw new UserInputException("--scale must be between 1 and 16, not " + scale + ".");
    }
    if (range != 1f && range != 255f) {
      throw new UserInputException("--range must be 1 or 255, not " + range + ".");
    }
    NetworkAdapters.Channels c = switch (channels.toLowerCase(java.util.Locale.ROOT)) {
      case "rgb" -> NetworkAdapters.Channels.RGB;
      case "y" -> NetworkAdapters.Channels.Y;
      default -> throw new UserInputException("--channels must be rgb or y, not '" + channels + "'.");
    };
    return new NetworkAdapters(c, range, residual);
  }

  int scaleOrZero() {
    return scale == null ? 0 : scale;
  }
}
