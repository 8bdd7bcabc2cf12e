package dev.srtune.graph.savedmodel;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.types.TFloat32;

/**
 * Exports a session's graph as a SavedModel meeting {@link SrSignature}, plus its {@code srtune.json}. The
 * directory appears whole or not at all: it is written beside the target and renamed into place.
 */
public final class SrSavedModelWriter {
  private SrSavedModelWriter() {}

  public static void export(Session session, Operand<TFloat32> lr, Operand<TFloat32> sr, Path dir,
      Map<String, Object> metadata) throws IOException {
    Path target = dir.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = siblingDirectory(target, "");
    try {
      Signature sig = Signature.builder(SrSignature.KEY).input(SrSignature.INPUT, lr).output(SrSignature.OUTPUT, sr).build();
      // The exporter wants to create the directory itself.
      Files.delete(tmp);
      SavedModelBundle.exporter(tmp.toString()).withTags(SrSignature.TAG).withSession(session).withSignature(sig).export();
      writeMetadata(tmp, metadata);
      replaceDirectory(tmp, target);
    } finally {
      deleteRecursively(tmp);
    }
  }

  public static void writeMetadata(Path dir, Map<String, Object> metadata) throws IOException {
    String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(metadata);
    Files.writeString(dir.resolve(SrSignature.METADATA_FILE), json + "\n", StandardCharsets.UTF_8);
  }

  /** Moves a finished directory over {@code target}, keeping the old one until the new one is in place. */
  public static void replaceDirectory(Path finished, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling("." + target.getFileName() + ".old." + java.util.UUID.randomUUID());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) {
      deleteRecursively(old);
    }
  }

  /**
   * A new empty hidden folder next to {@code target}, to build into before {@link #replaceDirectory}. Not
   * Files.createTempDirectory: that makes it 0700 whatever the user's umask, and the model would keep that mode.
   */
  public static Path siblingDirectory(Path target, String tag) throws IOException {
    return Files.createDirectory(target.resolveSibling("." + target.getFileName() + "." + tag
        + java.util.UUID.randomUUID()));
  }

  public static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
