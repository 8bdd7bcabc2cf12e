package dev.srtune.graph.tfimport;

import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.proto.GraphDef;

/**
 * What the TensorFlow graph importers ({@link FrozenGraphImporter}, {@link MetaGraphImporter},
 * {@link SavedModelImporter}) take and return.
 */
public final class GraphImport {
  private GraphImport() {}

  /**
   * @param input the input placeholder's name, or null to find it
   * @param output the output node ({@code name} or {@code name:k}), or null to find it
   * @param scale the scale the network must have, or 0 to measure it
   * @param name the model's name in {@code srtune.json}, or null for the file's name
   * @param adapters the network's own conventions (channels, value range, residual)
   */
  public record Options(String input, String output, int scale, String name, NetworkAdapters adapters) {
    /** Everything found or measured; the network works on RGB [0,1]. */
    public static Options found() {
      return new Options(null, null, 0, null, NetworkAdapters.none());
    }
  }

  /**
   * What was imported: the endpoints chosen, the scale measured, how many variables the model has, how many function
   * calls were inlined (SavedModels).
   */
  public record Imported(String input, String output, int scale, int variables, int functionsInlined) {
    public Imported(String input, String output, int scale, int variables) {
      this(input, output, scale, variables, 0);
    }
  }

  /** Loads {@code def} into {@code g}, or says in one sentence that this runtime cannot. */
  static void importInto(Graph g, GraphDef def, Path source) {
    try {
      g.importGraphDef(def);
    } catch (IllegalArgumentException e) {
      throw new GraphImportException("TensorFlow " + org.tensorflow.TensorFlow.version() + " cannot load the graph "
          + "in " + source.getFileName() + " (" + NetworkExport.firstLine(e) + "); export it with ops this runtime "
          + "knows.", e);
    }
  }
}
