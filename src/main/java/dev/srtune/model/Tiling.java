package dev.srtune.model;

import dev.srtune.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A plan of overlapping LR tiles that covers an image, and the stitching of their SR outputs.
 *
 * <p>The image is cut into a grid of <em>cores</em> that partition it exactly (no gaps, no overlap); each core is
 * run through the network inside a <em>window</em> that extends it by {@code margin} LR pixels on every side
 * (clipped at the image border). Of each window's output only the core's s× region is kept (a hard crop). When the
 * margin is at least the network's receptive-field radius ({@link ReceptiveField}), every kept output pixel sees
 * exactly the input it sees in a whole-image pass, and the image border is the same border in both, so tiled and
 * untiled outputs agree up to float rounding; with a smaller margin the error is what the field's tail carries.
 * A linear blend of overlaps was not needed: with EnhanceNet ×4 the hard crop at the margin {@link ReceptiveField}
 * chooses (14) agreed with the whole-image pass to 6e-5, and at its full support (23) exactly; a blend only helps
 * where the margin is too small, and there (margin 4: 0.034) it would still leave visible errors.
 *
 * <p>Cores along an axis are as equal as possible ({@code ceil(L / core)} of them, sizes differing by at most one),
 * so a size that is not a multiple of the core does not leave a sliver tile. An image no larger than one core is
 * one tile whose window is the whole image.
 *
 * @param height LR image height
 * @param width LR image width
 * @param core the largest core side the plan was asked for
 * @param margin the context added around each core, LR pixels
 * @param tiles row-major
 */
public record Tiling(int height, int width, int core, int margin, List<Tile> tiles) {

  /**
   * One tile: its input window and, inside it, the core whose output is kept. All in LR pixels of the whole image.
   */
  public record Tile(int top, int left, int height, int width, int coreTop, int coreLeft, int coreHeight,
      int coreWidth) {

    /** This tile's window of {@code image}, the network's input for the tile. */
    public RgbImage window(RgbImage image) {
      return top == 0 && left == 0 && height == image.height() && width == image.width()
          ? image : image.crop(top, left, height, width);
    }

    /**
     * Copies the core's part of {@code windowSr} (the s× output of {@link #window}) into {@code sr} (the s×
     * output of the whole image) at the core's place.
     */
    public void paste(RgbImage windowSr, RgbImage sr, int scale) {
      if (windowSr.height() != height * scale || windowSr.width() != width * scale) {
        throw new IllegalArgumentException("a " + height + "x" + width + " window at x" + scale + " should give "
            + height * scale + "x" + width * scale + ", got " + windowSr.height() + "x" + windowSr.width());
      }
      int rowSamples = coreWidth * scale * 3;
      int fromTop = (coreTop - top) * scale;
      int fromLeft = (coreLeft - left) * scale;
      for (int y = 0; y < coreHeight * scale; y++) {
        System.arraycopy(windowSr.data(), ((fromTop + y) * windowSr.width() + fromLeft) * 3, sr.data(),
            ((coreTop * scale + y) * sr.width() + coreLeft * scale) * 3, rowSamples);
      }
    }
  }

  public Tiling {
    tiles = List.copyOf(tiles);
  }

  /**
   * Plans tiles with cores of at most {@code core} LR pixels a side and {@code margin} pixels of context.
   *
   * @throws IllegalArgumentException if a size or the core is not positive or the margin is negative
   */
  public static Tiling plan(int height, int width, int core, int margin) {
    if (height <= 0 || width <= 0 || core <= 0 || margin < 0) {
      throw new IllegalArgumentException("cannot tile " + height + "x" + width + " with core " + core
          + " and margin " + margin);
    }
    int[] rows = cuts(height, core);
    int[] cols = cuts(width, core);
    List<Tile> tiles = new ArrayList<>();
    for (int i = 0; i + 1 < rows.length; i++) {
      for (int j = 0; j + 1 < cols.length; j++) {
        int top = Math.max(0, rows[i] - margin);
        int left = Math.max(0, cols[j] - margin);
        int bottom = Math.min(height, rows[i + 1] + margin);
        int right = Math.min(width, cols[j + 1] + margin);
        tiles.add(new Tile(top, left, bottom - top, right - left, rows[i], cols[j], rows[i + 1] - rows[i],
            cols[j + 1] - cols[j]));
      }
    }
    return new Tiling(height, width, core, margin, tiles);
  }

  /** The one-tile plan: the whole image in one pass. */
  public static Tiling whole(int height, int width) {
    return plan(height, width, Math.max(height, width), 0);
  }

  /** Boundaries of {@code ceil(length / core)} near-equal cores: 0 = b0 < b1 < ... < bn = length. */
  private static int[] cuts(int length, int core) {
    int n = (length + core - 1) / core;
    int[] b = new int[n + 1];
    for (int i = 0; i <= n; i++) {
      b[i] = (int) ((long) i * length / n);
    }
    return b;
  }

  /** The largest window side of the plan, which is what one tile's pass must fit in memory. */
  public int largestWindow() {
    return tiles.stream().mapToInt(t -> Math.max(t.height(), t.width())).max().orElse(0);
  }

  /** LR pixels the network runs on in total, divided by the image's: the price of the overlaps. */
  public double overhead() {
    long sum = tiles.stream().mapToLong(t -> (long) t.height() * t.width()).sum();
    return (double) sum / ((long) height * width);
  }
}
