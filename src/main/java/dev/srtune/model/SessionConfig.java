package dev.srtune.model;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Session settings for the models srtune loads. Threads: all cores inside an op (override with
 * {@code SRTUNE_THREADS}) and one op at a time (see {@link #interOpThreads()}; without oneDNN, two at a time had
 * made an EnhanceNet iteration at LR 64x64 1.49 -> 1.11 s, with oneDNN see docs/speed.md).
 * Device placement: TensorFlow places every op on the first GPU when the GPU native is on the classpath and a GPU
 * is visible, else on the CPU; soft placement lets ops without a GPU kernel fall back to the CPU.
 * Precision: {@link Precision#BF16} turns on grappler's oneDNN bfloat16 auto mixed precision.
 */
public final class SessionConfig {
  private SessionConfig() {}

  /**
   * Ops run one at a time unless {@code SRTUNE_INTER_OP_THREADS} says otherwise: with oneDNN on, two ops at a time
   * made fine-tuning non-deterministic (the same run gave HR-PSNRs 0.09 dB apart on a tiny network), as each op's
   * oneDNN kernel then splits its work by the threads it finds free.
   */
  static int interOpThreads() {
    String env = System.getenv("SRTUNE_INTER_OP_THREADS");
    return env != null && env.matches("\\d+") && Integer.parseInt(env) > 0 ? Integer.parseInt(env) : 1;
  }

  /** Intra-op threads set for the calling thread's sessions (a Spark task's cores), or null. */
  private static final ThreadLocal<Integer> TASK_THREADS = new ThreadLocal<>();

  /** A piece of work that may throw, run with {@link #withIntraOpThreads}. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws Exception;
  }

  /**
   * Runs {@code work} with every session it opens on this thread using {@code threads} intra-op threads: a task
   * given {@code spark.task.cpus} cores gets exactly that many, so tasks side by side do not oversubscribe the
   * machine (cores x cores threads).
   */
  public static <T> T withIntraOpThreads(int threads, Work<T> work) throws Exception {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive");
    }
    Integer before = TASK_THREADS.get();
    TASK_THREADS.set(threads);
    try {
      return work.run();
    } finally {
      if (before == null) {
        TASK_THREADS.remove();
      } else {
        TASK_THREADS.set(before);
      }
    }
  }

  /**
   * The intra-op threads of a session opened now on this thread: the task's (see {@link #withIntraOpThreads}),
   * else {@code SRTUNE_THREADS}, else all cores.
   */
  public static int intraOpThreads() {
    Integer task = TASK_THREADS.get();
    if (task != null) {
      return task;
    }
    String env = System.getenv("SRTUNE_THREADS");
    if (env != null && env.matches("\\d+") && Integer.parseInt(env) > 0) {
      return Integer.parseInt(env);
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** float32 throughout. */
  public static ConfigProto get() {
    return get(Precision.FP32);
  }

  /** As {@link #get()}, in {@code precision}. */
  public static ConfigProto get(Precision precision) {
    if (precision == Precision.AUTO) {
      throw new IllegalArgumentException("AUTO is chosen when the model is loaded; a session runs in fp32 or bf16");
    }
    ConfigProto.Builder config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads())
        .setInterOpParallelismThreads(interOpThreads())
        .setAllowSoftPlacement(true)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
    if (precision == Precision.BF16) {
      config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder()
          .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
    }
    return config.build();
  }
}
