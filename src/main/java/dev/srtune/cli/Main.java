package dev.srtune.cli;

import dev.srtune.UserInputException;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code srtune <command>}: the headless entry point ({@code scripts/srtune}, {@code mvn -q exec:java}). */
@Command(name = "srtune", mixinStandardHelpOptions = true, versionProvider = Versions.class,
    description = "Corrects a pretrained super-resolution network at test time by self-supervised fine-tuning.",
    subcommands = {
        DemoCommand.class,
        TuneCommand.class,
        ZssrCommand.class,
        DipCommand.class,
        EvalCommand.class,
        BuildCommand.class,
        BenchCommand.class,
        FetchCommand.class,
        DegradeCommand.class,
        KernelCommand.class,
        MetricsCommand.class,
        UncertaintyCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Logs full traces to the log file only (log4j2.xml), never to the console. */
  private static final org.apache.logging.log4j.Logger TRACE = LogManager.getLogger("dev.srtune.cli.Main.trace");

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    NativeConsole.install();
    int code = run(args);
    LogManager.shutdown();
    System.exit(code);
  }

  /** Where the full trace of every error goes (log4j2.xml's file appender uses the same property and default). */
  public static Path logFile() {
    String p = System.getProperty("srtune.log.file");
    return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".cache", "srtune", "srtune.log");
  }

  /**
   * Runs a command line and returns the exit code. No Java stack trace reaches the user: bad input gives its one
   * sentence and code 2; a cause outside the program (a disk, the memory, a file the system refuses) one sentence
   * and code 1; anything else says it is an internal error and where the log with the trace is, code 1.
   */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      UserInputException user = find(ex, UserInputException.class);
      if (user != null) {
        TRACE.debug("srtune: {}", user.getMessage(), ex);
        line.getErr().println("srtune: " + user.getMessage());
        return 2;
      }
      TRACE.error("srtune {} failed", String.join(" ", args), ex);
      String outside = outsideCause(ex);
      if (outside != null) {
        line.getErr().println("srtune: " + outside + " (details in " + logFile() + ")");
      } else {
        line.getErr().println("srtune: internal error (" + firstLine(ex) + "); the full trace is in " + logFile()
            + ", please report it with that file.");
      }
      return 1;
    });
    try {
      return cl.execute(args);
    } catch (Error e) { // picocli hands only Exceptions to the handler; OutOfMemoryError and the like end here
      TRACE.error("srtune {} failed", String.join(" ", args), e);
      String outside = outsideCause(e);
      System.err.println("srtune: " + (outside != null ? outside + " (details in " + logFile() + ")"
          : "internal error (" + firstLine(e) + "); the full trace is in " + logFile() + ", please report it."));
      return 1;
    }
  }

  /** One sentence for failures whose cause is the machine, not srtune or the user's options; null if not one. */
  static String outsideCause(Throwable ex) {
    if (find(ex, OutOfMemoryError.class) != null
        || find(ex, org.tensorflow.exceptions.TFResourceExhaustedException.class) != null) {
      return "the run ran out of memory (" + firstLine(ex) + "); use a smaller image, --tile N or a lower "
          + "--memory-budget, or give Java more memory with SRTUNE_JAVA_OPTS=-Xmx...";
    }
    java.io.IOException io = find(ex, java.io.IOException.class);
    if (io != null) {
      String what = io instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() + ": " : "";
      return "a file operation failed (" + what + io.getClass().getSimpleName().replace("Exception", "")
          + (f(io.getMessage()) ? ", " + firstLineOf(io.getMessage()) : "") + "); check the disk and the paths";
    }
    return null;
  }

  private static boolean f(String s) {
    return s != null && !s.isBlank();
  }

  private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
    for (Throwable c = ex; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static String firstLine(Throwable ex) {
    Throwable root = ex;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (f(root.getMessage()) ? ": " + firstLineOf(root.getMessage()) : "");
  }

  private static String firstLineOf(String m) {
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
