package dev.srtune.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random square LR windows, {@code batch} of them per iteration, at positions drawn uniformly from a seeded
 * generator (so iteration t always sees the same windows). The loss skips {@code margin} pixels at each window
 * border: there the network and A see the window's edge instead of the image around it. A side larger than the
 * image is clipped to the image.
 *
 * @param size window side in LR pixels (including the margin)
 * @param batch windows per iteration
 * @param margin LR pixels left out of the loss at each border
 * @param seed seed of the window positions
 * @param align windows start at multiples of this (1: anywhere; a JPEG's MCU for a JPEG-aware operator)
 */
public record RandomCrops(int size, int batch, int margin, long seed, int align) implements Sampler {
  static final String PREFIX = "crops:";
  /** Context each window border gives the network and A (DESIGN: "a few pixels of loss margin"). */
  public static final int MARGIN_DEFAULT = 6;
  public static final long SEED_DEFAULT = 1;

  public RandomCrops(int size, int batch, int margin, long seed) {
    this(size, batch, margin, seed, 1);
  }

  public RandomCrops {
    if (align < 1) {
      throw new IllegalArgumentException("crops align to a step of at least 1, got " + align);
    }
    if (batch < 1 || margin < 0 || size < 2 * margin + 4) {
      throw new IllegalArgumentException("crops need a batch >= 1 and a size of at least 2 x margin + 4 = "
          + (2 * margin + 4) + " pixels, got size " + size + ", batch " + batch + ", margin " + margin);
    }
  }

  /** {@code SIZE[xBATCH][,margin=M][,seed=S][,align=A]}, e.g. {@code 48x4}. */
  static RandomCrops parse(String s) {
    String[] parts = s.split(",");
    try {
      String[] sb = parts[0].split("x");
      int size = Integer.parseInt(sb[0].trim());
      int batch = sb.length > 1 ? Integer.parseInt(sb[1].trim()) : 1;
      int margin = MARGIN_DEFAULT;
      long seed = SEED_DEFAULT;
      int align = 1;
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].split("=", 2);
        switch (kv[0].trim()) {
          case "margin" -> margin = Integer.parseInt(kv[1].trim());
          case "seed" -> seed = Long.parseLong(kv[1].trim());
          case "align" -> align = Integer.parseInt(kv[1].trim());
          default -> throw new IllegalArgumentException("unknown crops setting '" + kv[0] + "'");
        }
      }
      return new RandomCrops(size, batch, margin, seed, align);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Bad sampling 'crops:" + s + "' (" + e.getMessage()
          + "); write crops:SIZE[xBATCH][,margin=M][,seed=S], e.g. crops:48x4.");
    }
  }

  /**
   * The whole image where crops would not save work: a window covering the image, or windows holding at least as
   * many pixels as the image (e.g. four 48×48 windows of a 64×64 LR); there, as in Algorithm 1, no margin is needed.
   */
  @Override
  public Sampler forImage(int h, int w) {
    boolean covers = size >= h && size >= w;
    boolean noCheaper = (long) batch * size * size >= (long) h * w;
    return covers || noCheaper ? FullImage.INSTANCE : this;
  }

  @Override
  public Sampler halved(int h, int w) {
    return batch < 2 ? this : new RandomCrops(size, batch / 2, margin, seed, align).forImage(h, w);
  }

  @Override
  public Sampler aligned(int step) {
    return step == align ? this : new RandomCrops(size, batch, margin, seed, step);
  }

  @Override
  public boolean wholeImage() {
    return false;
  }

  @Override
  public int lossMargin() {
    return margin;
  }

  @Override
  public List<Window> windows(int height, int width, int t) {
    int h = Math.min(size, height);
    int w = Math.min(size, width);
    Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + t);
    List<Window> out = new ArrayList<>(batch);
    for (int b = 0; b < batch; b++) {
      int top = rnd.nextInt((height - h) / align + 1) * align;
      int left = rnd.nextInt((width - w) / align + 1) * align;
      out.add(new Window(top, left, h, w));
    }
    return out;
  }

  @Override
  public String spec() {
    return PREFIX + size + "x" + batch + ",margin=" + margin + ",seed=" + seed + (align == 1 ? "" : ",align=" + align);
  }
}
