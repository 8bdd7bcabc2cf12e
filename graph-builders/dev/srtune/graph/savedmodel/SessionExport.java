package dev.srtune.graph.savedmodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TString;

/**
 * Writes the weights a session holds now as a SavedModel with the meta graph it was loaded from: the meta graph as
 * it was (so ops added to the session's graph since are left out) and a fresh variables checkpoint written by the
 * model's own saver. Like {@link SrSavedModelWriter}, the directory appears whole or not at all.
 */
public final class SessionExport {
  private SessionExport() {}

  /** Needs a meta graph with a saver ({@link MetaGraphDef#hasSaverDef()}). */
  public static void write(Session session, MetaGraphDef metaGraph, Path dir, Map<String, Object> metadata)
      throws IOException {
    if (!metaGraph.hasSaverDef()) {
      throw new IllegalArgumentException("the meta graph has no saver");
    }
    SaverDef saver = metaGraph.getSaverDef();
    Path target = dir.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = SrSavedModelWriter.siblingDirectory(target, "");
    try {
      Files.createDirectories(tmp.resolve("variables"));
      try (TString prefix = TString.scalarOf(tmp.resolve("variables").resolve("variables").toString())) {
        session.runner().feed(tensorName(saver.getFilenameTensorName()), prefix)
            .addTarget(opName(saver.getSaveTensorName())).run();
      }
      SavedModel model = SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(metaGraph).build();
      Files.write(tmp.resolve("saved_model.pb"), model.toByteArray());
      SrSavedModelWriter.writeMetadata(tmp, metadata);
      SrSavedModelWriter.replaceDirectory(tmp, target);
    } finally {
      SrSavedModelWriter.deleteRecursively(tmp);
    }
  }

  private static String tensorName(String name) {
    return name.contains(":") ? name.substring(0, name.lastIndexOf(':')) : name;
  }

  private static String opName(String name) {
    String n = tensorName(name);
    return n.startsWith("^") ? n.substring(1) : n;
  }
}
