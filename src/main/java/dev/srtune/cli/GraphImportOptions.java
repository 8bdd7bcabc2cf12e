package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.graph.tfimport.NetworkAdapters;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options shared by {@code build graphdef}, {@code build checkpoint}, {@code build savedmodel} and {@code build keras}:
 * which tensors are the network's input and output (found by the importer where unambiguous), its scale (measured
 * where not given; required for a pre-upsampling network), its name, and the conventions the network itself uses
 * (channels, value range, mean, residual output, a second input fed with the bicubic upscaling).
 */
final class GraphImportOptions {
  @Option(names = "--input", paramLabel = "NAME",
      description = "The input placeholder (default: the only float image placeholder the output is computed from).")
  String input;

  @Option(names = "--output", paramLabel = "NAME[:K]",
      description = "The output node (default: the only image-shaped sink computed from the input alone).")
  String output;

  @Option(names = "--scale", description = "The network's scale (default: measured with one test pass). Required for "
      + "a pre-upsampling network (its output has its input's size): the factor of the bicubic enlargement srtune "
      + "puts in front; the built model then runs at any scale.")
  Integer scale;

  @Option(names = "--name", description = "The model's name in srtune.json (default: the file's name).")
  String name;

  @Option(names = "--channels", paramLabel = "rgb|bgr|y",
      description = "What the network sees: rgb, bgr, or y (the Y of full-range BT.601 YCbCr; Cb and Cr are bicubic-"
          + "upscaled around its output, as OpenCV's dnn_superres does). Default: y where the input takes one "
          + "channel, else rgb.")
  String channels;

  @Option(names = "--range", paramLabel = "1|255",
      description = "The network's pixel range: 1 for [0,1], 255 for [0,255]. Default: measured by running the "
          + "network on a smooth test image at both (1 unless [0,1] clearly fails and [0,255] works).")
  Float range;

  @Option(names = "--mean", paramLabel = "R,G,B|div2k",
      description = "A mean the network subtracts from its input and adds to its output, in its pixel range and "
          + "R,G,B order (one value with --channels y), or div2k for EDSR's DIV2K RGB mean scaled to --range.")
  String mean;

  @Option(names = "--residual",
      description = "The network outputs a residual that is added to the bicubic upscaling of its input.")
  boolean residual;

  @Option(names = "--bicubic-input", paramLabel = "NAME",
      description = "A second input of the network, fed with the bicubic upscaling of the LR (default: the second "
          + "image input the output needs, if any; which input is which is measured).")
  String bicubicInput;

  @Option(names = "--output-range", paramLabel = "-1,1|0,1",
      description = "The network's output range: -1,1 for [-1,1] (mapped to [0,1] as (out + 1) / 2), 0,1 for the "
          + "image itself. Default: 0,1, or for a final tanh the one whose output is nearer the bicubic upscaling "
          + "on a smooth test image.")
  String outputRange;

  @Option(names = "--out", required = true, description = "SavedModel directory to write.")
  Path out;

  /** The import options these describe (checked as {@link #adapters()} checks them). */
  dev.srtune.graph.tfimport.GraphImport.Options importOptions() {
    NetworkAdapters a = adapters();
    if (outputRange != null && !outputRange.equals("-1,1") && !outputRange.equals("0,1")) {
      throw new UserInputException("--output-range must be -1,1 or 0,1, not '" + outputRange + "'.");
    }
    if ("-1,1".equals(outputRange)) {
      a = a.withSignedOutput();
    }
    return new dev.srtune.graph.tfimport.GraphImport.Options(input, output, scaleOrZero(), name, a, bicubicInput,
        !rangeGiven(), outputRange != null);
  }

  /** Checks the values and returns the adapters they describe. */
  NetworkAdapters adapters() {
    if (scale != null && (scale < 1 || scale > 16)) {
      throw new UserInputException("--scale must be between 1 and 16, not " + scale + ".");
    }
    if (range != null && range != 1f && range != 255f) {
      throw new UserInputException("--range must be 1 or 255, not " + range + ".");
    }
    NetworkAdapters.Channels c = channels == null ? null : switch (channels.toLowerCase(java.util.Locale.ROOT)) {
      case "rgb" -> NetworkAdapters.Channels.RGB;
      case "bgr" -> NetworkAdapters.Channels.BGR;
      case "y" -> NetworkAdapters.Channels.Y;
      default -> throw new UserInputException("--channels must be rgb, bgr or y, not '" + channels + "'.");
    };
    return new NetworkAdapters(c, range(), mean(), residual);
  }

  /** The range given, else 1 (measured by the importer where {@link #rangeGiven()} is false and no mean is). */
  float range() {
    return range == null ? 1f : range;
  }

  boolean rangeGiven() {
    return range != null;
  }

  private float[] mean() {
    if (mean == null) {
      return null;
    }
    if (mean.equalsIgnoreCase("div2k")) {
      float[] m = NetworkAdapters.DIV2K_MEAN.clone();
      for (int i = 0; i < 3; i++) {
        m[i] *= range();
      }
      return m;
    }
    String[] parts = mean.split(",");
    float[] m = new float[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        m[i] = Float.parseFloat(parts[i].trim());
      }
    } catch (NumberFormatException e) {
      throw new UserInputException("--mean must be R,G,B numbers in the network's range (e.g. 114.4,111.5,103.0) "
          + "or div2k, not '" + mean + "'.");
    }
    if (parts.length != 3 && parts.length != 1) {
      throw new UserInputException("--mean needs three values R,G,B (or one with --channels y), not " + parts.length
          + ".");
    }
    return m;
  }

  /** One of the importers, writing the SavedModel to --out. */
  interface Importer {
    dev.srtune.graph.tfimport.GraphImport.Imported build() throws java.io.IOException;
  }

  /**
   * Runs {@code importer}, says which adapters it chose from the graph (they are also in srtune.json) and what it
   * wrote ("wrote NAME (input I, output O, xS, DETAIL) as a SavedModel to OUT"); an import error is one sentence.
   */
  int write(String name, Importer importer,
      java.util.function.Function<dev.srtune.graph.tfimport.GraphImport.Imported, String> detail)
      throws java.io.IOException {
    try {
      var imported = importer.build();
      imported.chosen().forEach(c -> System.out.println("chosen from the graph: " + c));
      System.out.println("wrote " + name + " (input " + imported.input() + ", output " + imported.output() + ", x"
          + imported.scale() + ", " + detail.apply(imported) + ") as a SavedModel to " + out);
      return 0;
    } catch (dev.srtune.graph.tfimport.GraphImportException e) {
      throw new UserInputException(e.getMessage(), e);
    }
  }

  int scaleOrZero() {
    return scale == null ? 0 : scale;
  }
}
