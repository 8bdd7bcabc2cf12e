package dev.srtune.cli;

import dev.srtune.UserInputException;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --engine local|spark} and {@code --master}: where a folder command's images run. */
public final class EngineOptions {
  @Option(names = "--engine", defaultValue = "local", paramLabel = "local|spark",
      description = "local: the images one after the other in this JVM (default); spark: one Apache Spark task per "
          + "image, embedded as local[cores] unless --master (or spark-submit) names a cluster.")
  String engine;

  @Option(names = "--master", description = "Spark master URL (local[N], spark://HOST:PORT, k8s://..., yarn); "
      + "only with --engine spark. Default: embedded local[cores], or the master spark-submit gives.")
  String master;

  /** True for the Spark engine; refuses an unknown engine and --master without --engine spark. */
  boolean spark() {
    if (!List.of("local", "spark").contains(engine)) {
      throw new UserInputException("--engine must be local or spark, not '" + engine + "'.");
    }
    if (master != null && !engine.equals("spark")) {
      throw new UserInputException("--master is only for --engine spark; add --engine spark or leave it out.");
    }
    if (engine.equals("spark")) {
      FolderCommand.requireSpark();
      return true;
    }
    return false;
  }
}
