package dev.srtune.model;

import dev.srtune.image.RgbImage;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.AllocatorMemoryUsed;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.NodeOutput;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;
import org.tensorflow.types.TFloat32;

/**
 * The memory a forward pass of an SR network needs, as a linear function of the LR pixels it runs on:
 * {@code fixedBytes + bytesPerPixel · h · w}; and the choice of tile size that makes one pass fit a budget.
 *
 * <p><b>How it is measured.</b> Two traced forward passes ({@code RunOptions} FULL_TRACE) at 64² and 128² LR
 * pixels: TensorFlow reports, after each op, how many bytes its allocator holds ({@code allocator_bytes_in_use}); the
 * peaks of the two passes (per allocator, summed) give a line ({@link #fit}), whose slope is multiplied by
 * {@link #RSS_FACTOR} for what the process holds beyond the allocator (calibrated on EnhanceNet by VmHWM, below).
 * To it is added what the caller's JVM holds for the pass: input and output as tensors and as {@link RgbImage}
 * arrays (2·12 bytes per LR pixel and 2·12·s² for its output). Where the allocator reports no bytes in use, the sum
 * of all op outputs of the pass is used instead (an upper bound). It depends on the graph, not on the weights.
 *
 * <p>EnhanceNet ×4: at ×4 its 64-channel feature maps take 4 KB per LR pixel and a convolution at ×4 holds its input
 * and output (8 KB); the traced slope is about that, and process peaks (VmHWM) measured 10.9–15.3 KB per LR pixel
 * from 128² to 384², hence the factor 1.35: about 16 KB per LR pixel, so a 1000×1000 LR image needs ~16 GB whole.
 *
 * @param fixedBytes bytes independent of the image size (the line's intercept)
 * @param bytesPerPixel bytes per LR pixel of the pass's input
 */
public record MemoryEstimate(long fixedBytes, double bytesPerPixel) {
  /** Share of the machine's RAM {@link #defaultBudget()} allows one pass: the rest is the JVM, the OS, the loop. */
  public static final double DEFAULT_RAM_FRACTION = 0.125;
  /**
   * Cap of {@link #defaultBudget()}: tiles past ~350² LR pixels (EnhanceNet ×4 at 2 GB) are no faster per pixel,
   * and a smaller pass keeps a large run's peak memory well under 4 GB.
   */
  public static final long DEFAULT_BUDGET_CAP = 2L << 30;
  /**
   * Smallest core side worth tiling with: below it a window is mostly margin (at margin 15, a 16-pixel core runs
   * 46² pixels to keep 16²: 8× the work).
   */
  public static final int MIN_CORE = 16;
  /**
   * What the process really holds per byte the allocator reports: EnhanceNet ×4 passes at 192², 256², 320² and
   * 384² LR pixels raised the process's peak RSS ({@code VmHWM}, reset through {@code /proc/self/clear_refs}) by
   * 0.95, 1.32, 0.99 and 0.99 times the traced bytes per pixel (at 256² oneDNN chose kernels whose buffers, outside
   * TensorFlow's allocator, take more); the largest ratio, rounded up.
   */
  public static final double RSS_FACTOR = 1.35;
  /** Sizes of the traced passes: the allocator rounds large buffers up, by a share that depends on the size. */
  private static final int[] SIDES = {64, 128};

  /** Measures {@code lr -> sr} of {@code session} by traced passes at 64² and 128² LR pixels. */
  public static MemoryEstimate measure(Session session, Output<TFloat32> lr, Output<TFloat32> sr, int scale) {
    double host = 2 * 12.0 + 2 * 12.0 * scale * scale;
    long a = tracedPeak(session, lr, sr, SIDES[0]);
    long b = tracedPeak(session, lr, sr, SIDES[1]);
    return fit(a, b, host);
  }

  /**
   * The line through the traced peaks {@code a} (at 64²) and {@code b} (at 128²), its slope times
   * {@link #RSS_FACTOR}, plus {@code host} bytes per pixel. The intercept holds what the session keeps whatever the
   * size (the weights, a fine-tuner's optimiser slots and snapshots, tens of MB): through the origin it would be
   * spread over the small test image as bytes per pixel, 42 KB per LR pixel for EnhanceNet ×2 inside a fine-tuner
   * against 11 for the slope. Where the allocator's rounding makes the slope fall below the larger point's ratio
   * with a negative intercept, the line goes through the origin and that point instead: never below either point.
   */
  static MemoryEstimate fit(long a, long b, double host) {
    double small = (double) SIDES[0] * SIDES[0];
    double large = (double) SIDES[1] * SIDES[1];
    double slope = (b - a) / (large - small);
    double intercept = b - slope * large;
    if (!(slope > 0) || intercept < 0) {
      return new MemoryEstimate(0, RSS_FACTOR * Math.max(a / small, b / large) + host);
    }
    return new MemoryEstimate((long) intercept, RSS_FACTOR * slope + host);
  }

  static long tracedPeak(Session session, Output<TFloat32> lr, Output<TFloat32> sr, int side) {
    Random random = new Random(side);
    float[] data = new float[side * side * 3];
    for (int i = 0; i < data.length; i++) {
      data[i] = random.nextFloat();
    }
    RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    try (TFloat32 x = new RgbImage(side, side, data).toTensor();
        Result r = session.runner().feed(lr, x).fetch(sr).setOptions(trace).runAndFetchMetadata()) {
      StepStats stats = r.getMetadata().orElseThrow(
          () -> new IllegalStateException("TensorFlow returned no run metadata for a traced run")).getStepStats();
      return peak(stats);
    }
  }

  /** Peak bytes in use per allocator, summed over allocators; the sum of op outputs if no allocator reports. */
  static long peak(StepStats stats) {
    Map<String, Long> peaks = new HashMap<>();
    long outputs = 0;
    for (DeviceStepStats device : stats.getDevStatsList()) {
      for (NodeExecStats node : device.getNodeStatsList()) {
        for (AllocatorMemoryUsed used : node.getMemoryList()) {
          peaks.merge(used.getAllocatorName(), used.getAllocatorBytesInUse(), Math::max);
        }
        for (NodeOutput out : node.getOutputList()) {
          outputs += out.getTensorDescription().getAllocationDescription().getRequestedBytes();
        }
      }
    }
    long sum = peaks.values().stream().mapToLong(Long::longValue).sum();
    return sum > 0 ? sum : outputs;
  }

  /** Bytes a pass over {@code height × width} LR pixels needs. */
  public long bytes(int height, int width) {
    return fixedBytes + (long) Math.ceil(bytesPerPixel * height * width);
  }

  /** {@link #DEFAULT_RAM_FRACTION} of this machine's physical memory, at most {@link #DEFAULT_BUDGET_CAP}. */
  public static long defaultBudget() {
    return Math.min(DEFAULT_BUDGET_CAP, (long) (DEFAULT_RAM_FRACTION * totalMemory()));
  }

  /** This machine's physical memory in bytes. */
  public static long totalMemory() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
  }

  /**
   * How to run an image of {@code height × width} LR pixels within {@code budget} bytes, with tiles of
   * {@code margin} pixels of context: whole if that fits, else tiles with the largest core whose window (core plus
   * margin on both sides) fits, else {@link TileSize#tooLarge() too large} when not even a {@link #MIN_CORE} core
   * with its margin fits.
   */
  public TileSize choose(int height, int width, int margin, long budget) {
    if (bytes(height, width) <= budget) {
      return TileSize.whole(bytes(height, width));
    }
    double pixels = (budget - fixedBytes) / bytesPerPixel;
    int window = pixels <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.floor(Math.sqrt(pixels)));
    int core = window - 2 * margin;
    int minWindow = MIN_CORE + 2 * margin;
    if (core < MIN_CORE) {
      return TileSize.tooLarge(bytes(minWindow, minWindow));
    }
    return TileSize.tiled(core, bytes(core + 2 * margin, core + 2 * margin));
  }

  /**
   * The outcome of {@link #choose}: run whole, run in tiles with cores of {@code core} pixels, or cannot fit.
   *
   * @param kind which of the three
   * @param core the core side when tiled, 0 otherwise
   * @param bytes the estimate for one pass as chosen; when too large, for the smallest tile
   */
  public record TileSize(Kind kind, int core, long bytes) {
    /** Whole image, tiles, or not even the smallest tile fits. */
    public enum Kind { WHOLE, TILED, TOO_LARGE }

    static TileSize whole(long bytes) {
      return new TileSize(Kind.WHOLE, 0, bytes);
    }

    static TileSize tiled(int core, long bytes) {
      return new TileSize(Kind.TILED, core, bytes);
    }

    static TileSize tooLarge(long bytes) {
      return new TileSize(Kind.TOO_LARGE, 0, bytes);
    }
  }
}
