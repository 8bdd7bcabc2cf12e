package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/** Issue 10, defect 6: causes outside the program get one sentence; only unknown ones are "internal errors". */
class MainErrorsTest {
  @Test
  void memoryAndFileFailuresAreOneSentence() {
    String oom = Main.outsideCause(new RuntimeException(new OutOfMemoryError("Java heap space")));
    assertNotNull(oom);
    assertTrue(oom.contains("ran out of memory") && oom.contains("--tile"), oom);
    String io = Main.outsideCause(new UncheckedIOException(new AccessDeniedException("/data/out/sr.png")));
    assertNotNull(io);
    assertTrue(io.contains("/data/out/sr.png") && io.contains("AccessDenied"), io);
    assertTrue(!oom.contains("\n") && !io.contains("\n"));
  }

  @Test
  void aProgramErrorIsNotBlamedOnTheMachine() {
    assertNull(Main.outsideCause(new IllegalStateException("bug")));
  }

  @Test
  void theLogFileIsWhereTheTraceGoes() {
    assertTrue(Main.logFile().toString().endsWith("srtune.log"), Main.logFile().toString());
  }
}
