package dev.srtune.spark;

import dev.srtune.eval.FolderJob;
import dev.srtune.model.SessionConfig;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * One Spark task: parses the command line the driver was given (with the CLI's parser, which the driver hands in)
 * and runs its per-image job on one image, with
 * TensorFlow's intra-op threads set to the task's {@code spark.task.cpus}. Every failure is recorded by the job and
 * returned, never thrown: Spark's retries are for lost executors, not for a bad PNG.
 */
final class ImageTask implements Function<String, ImageTaskResult> {
  private static final long serialVersionUID = 1L;
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(ImageTask.class);
  private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();
  private final List<String> args;
  private final FolderJob.Parser parser;

  ImageTask(List<String> args, FolderJob.Parser parser) {
    this.args = List.copyOf(args);
    this.parser = parser;
  }

  @Override
  public ImageTaskResult call(String name) {
    TaskContext task = TaskContext.get();
    int threads = task != null ? task.cpus() : SessionConfig.intraOpThreads();
    if (System.getenv("TF_OVERRIDE_GLOBAL_THREADPOOL") == null && !WARNED.getAndSet(true)) {
      LOG.warn("TF_OVERRIDE_GLOBAL_THREADPOOL is not set in this JVM: its TensorFlow sessions share one intra-op "
          + "pool sized by the first, so tasks side by side share its threads; set it to 1 (scripts/srtune does, "
          + "spark-submit: --conf spark.executorEnv.TF_OVERRIDE_GLOBAL_THREADPOOL=1).");
    }
    long t0 = System.nanoTime();
    try {
      String line = SessionConfig.withIntraOpThreads(threads,
          () -> parser.parse(args.toArray(String[]::new)).runOne(name));
      return new ImageTaskResult(name, line != null, line == null ? "failed (see its error.json)" : line,
          (System.nanoTime() - t0) / 1e9, threads);
    } catch (Exception e) {
      return new ImageTaskResult(name, false, dev.srtune.eval.ImageFailure.of(name, e).message(),
          (System.nanoTime() - t0) / 1e9, threads);
    }
  }
}
