package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.eval.FolderJob;
import picocli.CommandLine;

/**
 * A command that is a {@link FolderJob} ({@code eval}, {@code tune --input-dir}): a Spark task re-parses the user's
 * command line with {@link #parse} (handed to the engine as a {@link FolderJob.Parser}) and calls
 * {@link #runOne} for its image.
 */
public interface FolderCommand extends FolderJob {

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
