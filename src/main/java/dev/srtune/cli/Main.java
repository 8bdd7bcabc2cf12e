package dev.srtune.cli;

import dev.srtune.UserInputException;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code srtune <command>}: the headless entry point ({@code scripts/srtune}, {@code mvn -q exec:java}). */
@Command(name = "srtune", mixinStandardHelpOptions = true, versionProvider = Versions.class,
    description = "Corrects a pretrained super-resolution network at test time by self-supervised fine-tuning.",
    subcommands = {
        DemoCommand.class,
        TuneCommand.class,
        EvalCommand.class,
        BuildCommand.class,
        BenchCommand.class,
        FetchCommand.class,
        DegradeCommand.class,
        MetricsCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    int code = run(args);
    LogManager.shutdown();
    System.exit(code);
  }

  /** Runs a command line and returns the exit code; bad input gives one sentence on stderr and code 2. */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      Throwable cause = ex;
      while (cause != null && !(cause instanceof UserInputException)) {
        cause = cause.getCause();
      }
      if (cause != null) {
        line.getErr().println("srtune: " + cause.getMessage());
        return 2;
      }
      line.getErr().println("srtune: internal error: " + ex);
      ex.printStackTrace(line.getErr());
      return 1;
    });
    return cl.execute(args);
  }
}
