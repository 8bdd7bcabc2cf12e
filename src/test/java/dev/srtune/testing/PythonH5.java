package dev.srtune.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python 3 with numpy and h5py (Debian's {@code python3-numpy python3-h5py}), for checks that read a Keras .h5
 * file independently of srtune; tests that need it are skipped, with the reason, where there is none.
 */
public final class PythonH5 {
  private static final List<String> CANDIDATES = List.of("python3", "/usr/bin/python3");
  private static String found;

  private PythonH5() {}

  /** The interpreter to run, or the test is skipped. */
  public static synchronized String python() {
    if (found == null) {
      for (String p : CANDIDATES) {
        try {
          if (exec(List.of(p, "-c", "import h5py, numpy"), false) == 0) {
            found = p;
            break;
          }
        } catch (IOException e) {
          // not this one
        }
      }
      found = found == null ? "" : found;
    }
    assumeTrue(!found.isEmpty(), "no python3 with h5py and numpy (apt-get install python3-h5py python3-numpy): "
        + "skipped");
    return found;
  }

  /** Runs a Python program (its source, then its arguments); fails the test where it exits non-zero. */
  public static void run(String source, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(python(), "-c", source));
    cmd.addAll(List.of(args));
    int code = exec(cmd, true);
    if (code != 0) {
      throw new AssertionError("python exited " + code + ": " + cmd);
    }
  }

  /** Runs a script file with arguments; fails the test where it exits non-zero. */
  public static void script(Path script, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(python(), script.toString()));
    cmd.addAll(List.of(args));
    int code = exec(cmd, true);
    if (code != 0) {
      throw new AssertionError("python exited " + code + ": " + cmd);
    }
  }

  private static int exec(List<String> cmd, boolean showFailure) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (showFailure && p.exitValue() != 0 && !out.isBlank()) {
        System.err.println(out);
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
