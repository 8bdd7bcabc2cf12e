package dev.srtune.model;

import dev.srtune.UserInputException;
import dev.srtune.image.RgbImage;
import java.util.Locale;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Runs an SR network ({@code lr -> sr} of a session) over an image tile by tile when a whole-image pass would not
 * fit in memory, and stitches the tiles into the image a whole-image pass would give ({@link Tiling}).
 *
 * <p>Built once per network with {@link #measure} (an impulse test for the {@link ReceptiveField} and two traced
 * passes for the {@link MemoryEstimate}, about 2 s for EnhanceNet ×4 on 2 cores), then {@link #superResolve} per
 * image; the weights may change between calls (fine-tuning) since neither measurement depends on them much.
 *
 * @param session runs the network
 * @param lr the network's input [1,h,w,3]
 * @param sr the network's output [1,s·h,s·w,3]
 * @param scale s
 * @param margin LR pixels of context around each tile's core (from the receptive field, or the caller's)
 * @param memory what one pass needs
 * @param budget bytes one pass may use
 */
public record TiledInference(Session session, Output<TFloat32> lr, Output<TFloat32> sr, int scale, int margin,
    MemoryEstimate memory, long budget) {

  public TiledInference {
    if (scale < 1 || margin < 0 || budget <= 0) {
      throw new IllegalArgumentException("scale " + scale + ", margin " + margin + ", budget " + budget);
    }
  }

  /**
   * Measures the network's receptive field and memory and allows one pass {@link MemoryEstimate#defaultBudget()}.
   */
  public static TiledInference measure(Session session, Output<TFloat32> lr, Output<TFloat32> sr, int scale) {
    ReceptiveField field = ReceptiveField.measure(session, lr, sr, scale);
    return new TiledInference(session, lr, sr, scale, field.margin(),
        MemoryEstimate.measure(session, lr, sr, scale), MemoryEstimate.defaultBudget());
  }

  /** The same network with another tile margin (overriding the measured one). */
  public TiledInference withMargin(int pixels) {
    return new TiledInference(session, lr, sr, scale, pixels, memory, budget);
  }

  /** The same network with another memory budget for one pass, in bytes. */
  public TiledInference withBudget(long bytes) {
    return new TiledInference(session, lr, sr, scale, margin, memory, bytes);
  }

  /** The plan {@link #superResolve(RgbImage)} uses for {@code y}: whole when it fits, else the largest tiles that do. */
  public Tiling plan(RgbImage y) {
    MemoryEstimate.TileSize size = memory.choose(y.height(), y.width(), margin, budget);
    return switch (size.kind()) {
      case WHOLE -> Tiling.whole(y.height(), y.width());
      case TILED -> Tiling.plan(y.height(), y.width(), size.core(), margin);
      case TOO_LARGE -> throw new UserInputException(String.format(Locale.ROOT,
          "A %dx%d image does not fit in %s even in the smallest tiles (%s for a %d-pixel tile with its %d-pixel "
              + "margin); raise --memory-budget or run on a machine with more memory.",
          y.width(), y.height(), readable(budget), readable(size.bytes()), MemoryEstimate.MIN_CORE, margin));
    };
  }

  /** f(y), tiled as {@link #plan(RgbImage)} says. */
  public RgbImage superResolve(RgbImage y) {
    return superResolve(y, plan(y));
  }

  /** f(y) run tile by tile as {@code tiling} says. */
  public RgbImage superResolve(RgbImage y, Tiling tiling) {
    if (tiling.height() != y.height() || tiling.width() != y.width()) {
      throw new IllegalArgumentException("a plan for " + tiling.height() + "x" + tiling.width() + " given a "
          + y.height() + "x" + y.width() + " image");
    }
    if (tiling.tiles().size() == 1) {
      return checked(ReceptiveField.forward(session, lr, sr, y), y);
    }
    RgbImage out = RgbImage.zeros(y.height() * scale, y.width() * scale);
    for (Tiling.Tile tile : tiling.tiles()) {
      RgbImage window = tile.window(y);
      tile.paste(checked(ReceptiveField.forward(session, lr, sr, window), window), out, scale);
    }
    return out;
  }

  private RgbImage checked(RgbImage output, RgbImage input) {
    if (output.height() != input.height() * scale || output.width() != input.width() * scale) {
      throw new UserInputException("The model turned a " + input.width() + "x" + input.height() + " input into "
          + output.width() + "x" + output.height() + ", not x" + scale + "; pass the scale the model was built for.");
    }
    return output;
  }

  private static String readable(long bytes) {
    return bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
        : String.format(Locale.ROOT, "%d MB", (bytes + 999_999) / 1_000_000);
  }
}
