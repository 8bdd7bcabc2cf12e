package dev.srtune.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Keeps TensorFlow's native log lines off the console. TensorFlow 2.18 writes them through absl straight to file
 * descriptor 2, whatever {@code TF_CPP_MIN_LOG_LEVEL} says, and a JVM cannot move its own descriptors. So the
 * launchers ({@code scripts/srtune}, the {@code mvn exec:java} child JVM) start the JVM with descriptor 2 appended to
 * {@code tensorflow.log} next to {@link Main#logFile()} and name the console in the {@value #CONSOLE_PROPERTY}
 * system property (a {@code /proc/.../fd/N} path); {@link #install()} points {@link System#err} (srtune's own
 * messages, Log4j's console appender) at it. Without the property nothing changes.
 */
final class NativeConsole {
  /** The file the console is reached through when descriptor 2 goes to the native log. */
  static final String CONSOLE_PROPERTY = "srtune.console";

  private NativeConsole() {}

  /** Sends {@link System#err} to the console the launcher named; keeps it as it is where that cannot be opened. */
  static void install() {
    String console = System.getProperty(CONSOLE_PROPERTY);
    if (console == null || console.isBlank()) {
      return;
    }
    try {
      // append: where the console is a file (2> err.txt), opening it again must not truncate it
      System.setErr(new PrintStream(new FileOutputStream(console, true), true));
    } catch (IOException | SecurityException e) {
      System.err.println("srtune: cannot open the console " + console + " (" + e.getMessage() + "); messages "
          + "go to standard error.");
    }
  }
}
