package dev.srtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A Spark task's cores become its sessions' intra-op threads ({@link SessionConfig#withIntraOpThreads}), and with
 * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1} (set by surefire, scripts/srtune, the exec:java child) each session really
 * starts a pool of that size: counted as the process's native threads in /proc (without the variable the second
 * session below starts none and shares the first one's single thread).
 */
class IntraOpThreadsTest {

  static long threads() throws Exception {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
      return s.count();
    }
  }

  @Test
  void aTaskThreadCountIsWhatItsSessionsGet() throws Exception {
    assertEquals(1, SessionConfig.withIntraOpThreads(1, () -> SessionConfig.get().getIntraOpParallelismThreads()));
    assertEquals(3, SessionConfig.withIntraOpThreads(3, () -> SessionConfig.get().getIntraOpParallelismThreads()));
    assertEquals(SessionConfig.intraOpThreads(), SessionConfig.get().getIntraOpParallelismThreads(), "reset after");

    assumeTrue("1".equals(System.getenv("TF_OVERRIDE_GLOBAL_THREADPOOL")) && Files.isDirectory(Path.of("/proc/self/task")),
        "needs TF_OVERRIDE_GLOBAL_THREADPOOL=1 (surefire sets it) and /proc");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = tf.random.randomUniform(tf.constant(new long[] {256, 256}), TFloat32.class);
      var y = tf.linalg.matMul(x, x);
      // Warm-up: the process-wide inter-op pool and the first session's own threads.
      try (Session s = new Session(g, SessionConfig.withIntraOpThreads(1, SessionConfig::get))) {
        s.runner().fetch(y).run().close();
        long before = threads();
        try (Session s5 = new Session(g, SessionConfig.withIntraOpThreads(5, SessionConfig::get))) {
          s5.runner().fetch(y).run().close();
          long added = threads() - before;
          assertTrue(added >= 5 && added <= 6, "a 5-thread session added " + added + " threads");
        }
      }
    }
  }
}
