package dev.srtune.model;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * Session settings for the models srtune loads. Threads: all cores inside an op (override with
 * {@code SRTUNE_THREADS}) and two ops at a time, so the independent input and filter gradients of a convolution
 * overlap: on 2 cores one EnhanceNet iteration at LR 64x64 took 1.49 s with one op at a time, 1.11 s with two.
 * Device placement: TensorFlow places every op on the first GPU when the GPU native is on the classpath and a GPU
 * is visible, else on the CPU; soft placement lets ops without a GPU kernel fall back to the CPU.
 */
public final class SessionConfig {
  private SessionConfig() {}

  public static ConfigProto get() {
    int threads = Runtime.getRuntime().availableProcessors();
    String env = System.getenv("SRTUNE_THREADS");
    if (env != null && env.matches("\\d+") && Integer.parseInt(env) > 0) {
      threads = Integer.parseInt(env);
    }
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        .setInterOpParallelismThreads(2)
        .setAllowSoftPlacement(true)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
        .build();
  }
}
