package dev.srtune.blind;

import dev.srtune.UserInputException;
import dev.srtune.graph.degradation.Degradations;
import java.util.Locale;

/**
 * The {@code --blur estimate[:size=K]} form: the kernel B is estimated from the LR image by
 * {@link BlindKernelEstimator} before the run, then used as a fixed (or, with {@code --refine-kernel}, a starting)
 * kernel of A = D∘B. The files it adds to an output folder are named here.
 */
public final class EstimatedBlur {
  public static final String PREFIX = "estimate";
  public static final String KERNEL_NPY = "kernel.npy";
  public static final String KERNEL_PNG = "kernel.png";
  public static final String REFINED_NPY = "kernel_refined.npy";
  public static final String REFINED_PNG = "kernel_refined.png";

  private EstimatedBlur() {}

  /** True for {@code estimate} and {@code estimate:...}. */
  public static boolean requested(String blurSpec) {
    if (blurSpec == null) {
      return false;
    }
    String s = blurSpec.trim().toLowerCase(Locale.ROOT);
    return s.equals(PREFIX) || s.startsWith(PREFIX + ":");
  }

  /** The estimator {@code estimate[:size=K]} asks for, with D = {@code downsampler}, for factor {@code scale}. */
  public static BlindKernelEstimator estimator(String blurSpec, String downsampler, int scale) {
    int size = BlindKernelEstimator.SIZE_DEFAULT;
    String s = blurSpec.trim();
    if (s.length() > PREFIX.length()) {
      String args = s.substring(PREFIX.length() + 1);
      String[] kv = args.split("=", -1);
      if (kv.length != 2 || !kv[0].trim().equals("size")) {
        throw new UserInputException("Bad blur '" + blurSpec + "'; use estimate or estimate:size=K with K odd, "
            + "from " + BlindKernelEstimator.MIN_SIZE + " to " + BlindKernelEstimator.MAX_SIZE + ".");
      }
      try {
        size = Integer.parseInt(kv[1].trim());
      } catch (NumberFormatException e) {
        throw new UserInputException("Bad blur '" + blurSpec + "': the size must be an integer; use "
            + "estimate:size=K with K odd, from " + BlindKernelEstimator.MIN_SIZE + " to "
            + BlindKernelEstimator.MAX_SIZE + ".");
      }
    }
    if (!Degradations.downsamplerNames().contains(downsampler)) {
      throw new UserInputException("Unknown --downsampler '" + downsampler + "'; use one of "
          + String.join(", ", Degradations.downsamplerNames()) + ".");
    }
    return BlindKernelEstimator.defaults(size, scale).withDownsampler(downsampler);
  }
}
