package dev.srtune.graph.degradation;

/**
 * Supplies the values of a {@code kernel:LOCATION} blur. Graph builders never open the user's files, so the
 * runtime passes an implementation that reads them ({@code dev.srtune.degrade.KernelFiles}).
 */
@FunctionalInterface
public interface KernelSource {
  /** No kernel files available: every {@code kernel:} spec is refused. */
  KernelSource NONE = location -> {
    throw new IllegalArgumentException("kernel files cannot be read here; use a gaussian, disk or random blur.");
  };

  /**
   * The kernel at {@code location}, with {@code kernel:LOCATION} as its spec (normalised by {@link BlurKernel}).
   *
   * @throws IllegalArgumentException with one sentence when it cannot be read
   */
  BlurKernel read(String location);
}
