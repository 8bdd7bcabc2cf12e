package dev.srtune.tune;

import dev.srtune.UserInputException;
import dev.srtune.image.RgbImage;
import dev.srtune.model.MemoryEstimate;
import dev.srtune.model.TiledInference;
import dev.srtune.model.Tiling;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * How whole-image work fits in memory, as the {@link WholeImagePasses} settings ask: whether a pass over an image
 * runs at once or in tiles (the network measured for tiling once, on first need), and whether a training step on
 * the whole image fits at all.
 */
final class PassPlanner {
  private static final Logger LOG = LogManager.getLogger(PassPlanner.class);
  /**
   * Images up to this many LR pixels run their whole-image passes at once without measuring the network's memory
   * (256², where EnhanceNet ×4 needs about 0.8 GB), unless a tile or a budget is given.
   */
  static final long UNMEASURED_PIXELS = 256L * 256;
  /**
   * A training step on the whole image keeps the forward pass's activations for the backward pass and adds their
   * gradients: about this many times a forward pass.
   */
  static final int TRAINING_MEMORY_FACTOR = 3;

  /** The network's input and output, in the session the passes run in. */
  private final TrainingSubgraph network;
  private final WholeImagePasses settings;
  /** The network measured for tiled passes (receptive field, memory), on first need. */
  private TiledInference tiled;
  /** The last plan and the image size it is for (null plan: the whole image at once). */
  private Tiling plan;
  private long plannedFor = -1;

  PassPlanner(TrainingSubgraph network, WholeImagePasses settings) {
    this.network = network;
    this.settings = settings;
  }

  /** The network measured for tiling (receptive field, memory), once. */
  TiledInference tiled() {
    if (tiled == null) {
      long t0 = System.nanoTime();
      tiled = TiledInference.measure(network.session, network.lr, network.sr, network.scale());
      LOG.debug("measured the network for tiling in {} ms: margin {}, {}", (System.nanoTime() - t0) / 1_000_000,
          tiled.margin(), tiled.memory());
    }
    return tiled;
  }

  /**
   * How whole-image passes over {@code y} run: null for at once, else the tiles. Refuses, in one sentence, an image
   * that does not fit even in the smallest tiles.
   */
  Tiling plan(RgbImage y) {
    long key = ((long) y.height() << 32) | y.width();
    if (key == plannedFor) {
      return plan;
    }
    Tiling p = null;
    if (settings.tile() > 0 || settings.memoryBudget() > 0 || (long) y.height() * y.width() > UNMEASURED_PIXELS) {
      TiledInference t = settings.memoryBudget() > 0 ? tiled().withBudget(settings.memoryBudget()) : tiled();
      p = settings.tile() > 0 ? Tiling.plan(y.height(), y.width(), settings.tile(), t.margin()) : t.plan(y);
      if (p.tiles().size() == 1) {
        p = null;
      } else {
        LOG.info("whole-image passes over {}x{} run in {} tiles of up to {} LR pixels a side ({} of margin)",
            y.height(), y.width(), p.tiles().size(), p.core(), p.margin());
      }
    }
    plan = p;
    plannedFor = key;
    return p;
  }

  /** How the last planned passes ran: "whole", or "N tiles, core C, margin M" (for reports). */
  String describe() {
    return plan == null ? "whole" : plan.tiles().size() + " tiles, core " + plan.core() + ", margin " + plan.margin();
  }

  /**
   * Refuses, before any work, a training step on the whole image that needs more than the --memory-budget given, or
   * three quarters of the machine's RAM.
   */
  void checkWholeImageStep(RgbImage y, Sampler sampler) {
    if (!sampler.wholeImage()
        || ((long) y.height() * y.width() <= UNMEASURED_PIXELS && settings.memoryBudget() == 0)) {
      return;
    }
    long need = TRAINING_MEMORY_FACTOR * tiled().memory().bytes(y.height(), y.width());
    long limit = settings.memoryBudget() > 0 ? settings.memoryBudget() : MemoryEstimate.totalMemory() / 4 * 3;
    if (need > limit) {
      throw new UserInputException("A training step on the whole " + y.height() + "x" + y.width() + " image needs "
          + "about " + WholeImagePasses.size(need) + ", more than the " + WholeImagePasses.size(limit) + " it may use "
          + "(it does not fit in memory); train on crops (--sampling crops:48x4, as --schedule fast does)"
          + (settings.memoryBudget() > 0 ? " or give a larger --memory-budget" : "") + ".");
    }
  }
}
