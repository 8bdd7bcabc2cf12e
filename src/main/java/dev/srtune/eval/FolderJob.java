package dev.srtune.eval;

import java.io.Serializable;

/**
 * A job that works image by image over a folder ({@code eval}, {@code tune --input-dir}), so that an engine can run
 * its per-image part anywhere the folder is shared: a Spark task makes the job again from the user's command line
 * ({@link Parser}) and calls {@link #runOne} for its image.
 */
public interface FolderJob {

  /**
   * Runs the per-image job on the image {@code name} in this JVM: skipped when it is finished, its failure recorded
   * (not thrown) when it fails. Returns a one-line summary, or null when the image failed.
   */
  String runOne(String name) throws Exception;

  /** Makes the folder job a whole srtune command line names (the CLI's parser, shipped to the engine's tasks). */
  @FunctionalInterface
  interface Parser extends Serializable {
    FolderJob parse(String[] args);
  }
}
