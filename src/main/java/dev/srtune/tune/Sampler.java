package dev.srtune.tune;

import dev.srtune.image.RgbImage;
import java.util.List;
import org.tensorflow.types.TFloat32;

/**
 * What one iteration trains on: the whole LR image (Algorithm 1) or LR windows of it. The network is fully
 * convolutional, so one graph serves every window size; a window's outer {@link #lossMargin()} pixels give the
 * network context and are left out of the loss (A and the network see borders there that the image does not have).
 */
public interface Sampler {

  /** True when every iteration sees the whole image with no margin (the paper's Algorithm 1). */
  boolean wholeImage();

  /** LR pixels left out of the loss at each window border. */
  int lossMargin();

  /** The LR windows iteration {@code t} trains on in an h×w image (all of one size). Deterministic in t. */
  List<Window> windows(int h, int w, int t);

  /** The windows of iteration {@code t} as one batch [B,h,w,3]; the caller closes it. Deterministic in t. */
  default TFloat32 batch(RgbImage y, int t) {
    return Window.stack(y.data(), y.height(), y.width(), 3, windows(y.height(), y.width(), t));
  }

  /** The sampler to use on an h×w image (crops as large as the image become the whole image). */
  default Sampler forImage(int h, int w) {
    return this;
  }

  /**
   * This sampler with its windows starting at multiples of {@code step} LR pixels (1: anywhere), for an operator
   * whose LR has a grid, such as a JPEG's blocks ({@link dev.srtune.graph.degradation.Degradation#windowAlignment}).
   */
  default Sampler aligned(int step) {
    return this;
  }

  /**
   * A cheaper sampler of the same kind on an h×w image, for a run planned shorter than its schedule
   * ({@link BudgetPlanner}): half the windows per iteration; this one where there is nothing to halve.
   */
  default Sampler halved(int h, int w) {
    return this;
  }

  /** Canonical spec that {@link #parse} turns back into this sampler. */
  String spec();

  /** {@code full} or {@code crops:SIZE[xBATCH][,margin=M][,seed=S]}. */
  static Sampler parse(String spec) {
    String s = spec.trim();
    if (s.equals(FullImage.SPEC)) {
      return FullImage.INSTANCE;
    }
    if (s.startsWith(RandomCrops.PREFIX)) {
      return RandomCrops.parse(s.substring(RandomCrops.PREFIX.length()));
    }
    throw new IllegalArgumentException("Unknown sampling '" + spec + "'; use full or crops:SIZE[xBATCH] "
        + "(e.g. crops:48x4).");
  }

  /** The whole image every iteration, no margin. */
  enum FullImage implements Sampler {
    INSTANCE;
    static final String SPEC = "full";

    @Override
    public boolean wholeImage() {
      return true;
    }

    @Override
    public int lossMargin() {
      return 0;
    }

    @Override
    public List<Window> windows(int h, int w, int t) {
      return List.of(Window.whole(h, w));
    }

    @Override
    public TFloat32 batch(RgbImage y, int t) {
      return y.toTensor();
    }

    @Override
    public String spec() {
      return SPEC;
    }
  }
}
