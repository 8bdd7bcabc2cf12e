package dev.srtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Choosing a tile size from an estimate and a budget (the estimate's measurement is in the EnhanceNet test). */
class MemoryEstimateTest {
  private final MemoryEstimate estimate = new MemoryEstimate(1_000_000, 10_000);

  @Test
  void wholeImageWhenItFits() {
    MemoryEstimate.TileSize size = estimate.choose(100, 100, 15, 101_000_000);
    assertEquals(MemoryEstimate.TileSize.Kind.WHOLE, size.kind());
    assertEquals(101_000_000, size.bytes());
  }

  @Test
  void largestCoreWhoseWindowFits() {
    // 51 MB leaves 50 MB = 5000 pixels: a 70-pixel window, so 70 - 2·15 = 40.
    MemoryEstimate.TileSize size = estimate.choose(100, 100, 15, 51_000_000);
    assertEquals(MemoryEstimate.TileSize.Kind.TILED, size.kind());
    assertEquals(40, size.core());
    assertEquals(estimate.bytes(70, 70), size.bytes());
    assertTrue(size.bytes() <= 51_000_000);
    assertTrue(estimate.bytes(71, 71) > 51_000_000);
  }

  @Test
  void tooLargeWhenNotEvenTheSmallestTileFits() {
    int window = MemoryEstimate.MIN_CORE + 2 * 15;
    long justBelow = estimate.bytes(window, window) - 1;
    MemoryEstimate.TileSize size = estimate.choose(1000, 1000, 15, justBelow);
    assertEquals(MemoryEstimate.TileSize.Kind.TOO_LARGE, size.kind());
    assertEquals(estimate.bytes(window, window), size.bytes());
    assertEquals(MemoryEstimate.TileSize.Kind.TILED, estimate.choose(1000, 1000, 15, justBelow + 1).kind());
    assertEquals(MemoryEstimate.TileSize.Kind.TOO_LARGE, estimate.choose(1000, 1000, 15, 999_999).kind());
  }

  @Test
  void defaultBudgetIsAShareOfThisMachinesMemory() {
    long total = MemoryEstimate.totalMemory();
    assertTrue(total > 100_000_000L, "total memory " + total);
    long budget = MemoryEstimate.defaultBudget();
    // Issue 10: a pass's default budget leaves most of the machine to the rest of the run, and never exceeds 2 GiB.
    assertTrue(budget > 0 && budget <= total / 8 && budget <= 2L << 30, budget + " of " + total);
  }
}
