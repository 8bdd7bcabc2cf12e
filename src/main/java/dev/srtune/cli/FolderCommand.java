package dev.srtune.cli;

import dev.srtune.UserInputException;
import picocli.CommandLine;

/**
 * A command that works image by image over a folder ({@code eval}, {@code tune --input-dir}), so that an engine
 * can run its per-image job anywhere the folder is shared: a Spark task re-parses the user's command line with
 * {@link #parse} and calls {@link #runOne} for its image.
 */
public interface FolderCommand {

  /**
   * Runs the per-image job on the image {@code name} in this JVM: skipped when it is finished, its failure recorded
   * (not thrown) when it fails. Returns a one-line summary, or null when the image failed.
   */
  String runOne(String name) throws Exception;

  /** The folder command a whole srtune command line names, parsed as Main parses it. */
  static FolderCommand parse(String[] args) {
    CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args);
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    if (parsed.commandSpec().userObject() instanceof FolderCommand c) {
      return c;
    }
    throw new IllegalArgumentException("not a folder command: " + String.join(" ", args));
  }

  /** Refuses {@code --engine spark} where Spark's classes are missing (srtune taken as a library without them). */
  static void requireSpark() {
    try {
      Class.forName("org.apache.spark.SparkContext", false, FolderCommand.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new UserInputException("--engine spark needs Apache Spark on the classpath (org.apache.spark:"
          + "spark-core_2.13, an optional dependency of srtune); add it, run under spark-submit, or use --engine local.");
    }
  }
}
