package dev.srtune.model;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Session settings for the models srtune loads. Threads: all cores inside an op (override with
 * {@code SRTUNE_THREADS}) and two ops at a time, so the independent input and filter gradients of a convolution
 * overlap: on 2 cores one EnhanceNet iteration at LR 64x64 took 1.49 s with one op at a time, 1.11 s with two.
 * Device placement: TensorFlow places every op on the first GPU when the GPU native is on the classpath and a GPU
 * is visible, else on the CPU; soft placement lets ops without a GPU kernel fall back to the CPU.
 * Precision: {@link Precision#BF16} turns on grappler's oneDNN bfloat16 auto mixed precision.
 */
public final class SessionConfig {
  private SessionConfig() {}

  /** float32 throughout. */
  public static ConfigProto get() {
    return get(Precision.FP32);
  }

  /** As {@link #get()}, in {@code precision}. */
  public static ConfigProto get(Precision precision) {
    int threads = Runtime.getRuntime().availableProcessors();
    String env = System.getenv("SRTUNE_THREADS");
    if (env != null && env.matches("\\d+") && Integer.parseInt(env) > 0) {
      threads = Integer.parseInt(env);
    }
    ConfigProto.Builder config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        .setInterOpParallelismThreads(2)
        .setAllowSoftPlacement(true)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
    if (precision == Precision.BF16) {
      config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder()
          .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
    }
    return config.build();
  }
}
