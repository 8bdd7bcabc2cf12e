package dev.srtune.tune;

import dev.srtune.UserInputException;
import java.util.Locale;

/**
 * How the passes over the whole image run (f(y) at the start and the end, the LR measurements): at once, or tile by
 * tile ({@link dev.srtune.model.TiledInference}) so that any image size fits in memory. Tiles join without seams:
 * each keeps a margin of the network's measured receptive field.
 *
 * @param tile LR side of each tile's core, or 0 to tile only when a whole-image pass would not fit the budget
 * @param memoryBudget bytes one pass may use, or 0 for {@link dev.srtune.model.MemoryEstimate#defaultBudget()}
 */
public record WholeImagePasses(int tile, long memoryBudget) {
  /** Whole image when it fits the default budget, else the largest tiles that do. */
  public static final WholeImagePasses AUTO = new WholeImagePasses(0, 0);

  public WholeImagePasses {
    if (tile < 0 || memoryBudget < 0) {
      throw new IllegalArgumentException("tile and memory budget must be >= 0");
    }
  }

  /** Parses a size such as {@code 2G}, {@code 512M} or {@code 3000000000} (bytes). */
  public static long parseBytes(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
    long unit = 1;
    if (!t.isEmpty() && "KMGT".indexOf(t.charAt(t.length() - 1)) >= 0) {
      unit = 1L << (10 * ("KMGT".indexOf(t.charAt(t.length() - 1)) + 1));
      t = t.substring(0, t.length() - 1);
    }
    try {
      double v = Double.parseDouble(t);
      if (!(v > 0)) {
        throw new NumberFormatException();
      }
      return (long) (v * unit);
    } catch (NumberFormatException e) {
      throw new UserInputException("--memory-budget '" + s + "' is not a size; give e.g. 2G, 512M or a number of "
          + "bytes.");
    }
  }

  /** A byte count as people read it: "1.3 GB", "420 MB", "12 KB". */
  public static String size(long bytes) {
    if (bytes >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
    return bytes >= 1_000_000L ? (bytes / 1_000_000L) + " MB" : Math.max(1, bytes / 1000) + " KB";
  }

  public String spec() {
    return (tile == 0 ? "auto" : "tile:" + tile) + (memoryBudget == 0 ? "" : String.format(Locale.ROOT,
        ",budget=%.2fGB", memoryBudget / 1e9));
  }
}
