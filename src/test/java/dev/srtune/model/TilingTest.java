package dev.srtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tile plan's geometry, and stitching checked with a local operator computed in plain Java. */
class TilingTest {

  @ParameterizedTest(name = "{0}x{1}, core {2}, margin {3}")
  @CsvSource({"100,100,32,8", "97,131,32,8", "7,5,32,8", "64,64,64,4", "65,64,64,4", "1,1,1,0", "50,3,7,20"})
  void coresPartitionTheImageAndWindowsAddTheMarginInsideIt(int h, int w, int core, int margin) {
    Tiling plan = Tiling.plan(h, w, core, margin);
    int[][] covered = new int[h][w];
    for (Tiling.Tile t : plan.tiles()) {
      assertTrue(t.coreHeight() <= core && t.coreWidth() <= core, t.toString());
      assertTrue(t.coreHeight() >= 1 && t.coreWidth() >= 1, t.toString());
      for (int y = t.coreTop(); y < t.coreTop() + t.coreHeight(); y++) {
        for (int x = t.coreLeft(); x < t.coreLeft() + t.coreWidth(); x++) {
          covered[y][x]++;
        }
      }
      // The window is the core grown by the margin, clipped to the image and nothing else.
      assertEquals(Math.max(0, t.coreTop() - margin), t.top(), t.toString());
      assertEquals(Math.max(0, t.coreLeft() - margin), t.left(), t.toString());
      assertEquals(Math.min(h, t.coreTop() + t.coreHeight() + margin), t.top() + t.height(), t.toString());
      assertEquals(Math.min(w, t.coreLeft() + t.coreWidth() + margin), t.left() + t.width(), t.toString());
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        assertEquals(1, covered[y][x], "pixel " + y + "," + x + " covered " + covered[y][x] + " times");
      }
    }
    int expectedTiles = ((h + core - 1) / core) * ((w + core - 1) / core);
    assertEquals(expectedTiles, plan.tiles().size());
  }

  @Test
  void coresOfANonDivisibleSideDifferByAtMostOne() {
    Tiling plan = Tiling.plan(100, 10, 32, 5); // 4 cores of 25 rather than 32, 32, 32, 4
    assertEquals(4, plan.tiles().size());
    plan.tiles().forEach(t -> assertEquals(25, t.coreHeight()));
    Tiling odd = Tiling.plan(97, 10, 32, 5);
    int min = odd.tiles().stream().mapToInt(Tiling.Tile::coreHeight).min().orElseThrow();
    int max = odd.tiles().stream().mapToInt(Tiling.Tile::coreHeight).max().orElseThrow();
    assertTrue(max - min <= 1, min + ".." + max);
  }

  @Test
  void anImageSmallerThanATileIsOneTileOfTheWholeImage() {
    Tiling plan = Tiling.plan(20, 30, 64, 16);
    assertEquals(1, plan.tiles().size());
    assertEquals(new Tiling.Tile(0, 0, 20, 30, 0, 0, 20, 30), plan.tiles().get(0));
    assertEquals(1.0, plan.overhead());
    RgbImage y = noise(20, 30, 1);
    assertTrue(plan.tiles().get(0).window(y) == y, "the whole image is passed on as it is, not copied");
    assertEquals(Tiling.plan(20, 30, 30, 0).tiles(), Tiling.whole(20, 30).tiles());
  }

  @Test
  void edgeTilesAreClippedToTheImage() {
    Tiling plan = Tiling.plan(64, 64, 32, 8);
    assertEquals(4, plan.tiles().size());
    assertEquals(new Tiling.Tile(0, 0, 40, 40, 0, 0, 32, 32), plan.tiles().get(0));
    assertEquals(new Tiling.Tile(24, 24, 40, 40, 32, 32, 32, 32), plan.tiles().get(3));
    assertEquals(40, plan.largestWindow());
    assertEquals(4.0 * 40 * 40 / (64 * 64), plan.overhead(), 1e-12);
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> Tiling.plan(0, 10, 8, 1));
    assertThrows(IllegalArgumentException.class, () -> Tiling.plan(10, 10, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> Tiling.plan(10, 10, 8, -1));
    Tiling.Tile t = Tiling.plan(10, 10, 8, 1).tiles().get(0);
    assertThrows(IllegalArgumentException.class, () -> t.paste(RgbImage.zeros(5, 5), RgbImage.zeros(20, 20), 2));
  }

  /**
   * A stand-in network computed by hand: a (2r+1)² box sum with zero padding (field radius r), then nearest ×s.
   * Tiles with margin r stitch to exactly the whole-image result; margin r-1 does not.
   */
  @ParameterizedTest(name = "{0}x{1}, core {2}, x{3}")
  @CsvSource({"37,53,16,2", "37,53,16,3", "10,10,64,2", "33,17,5,1"})
  void stitchedLocalOperatorEqualsTheWholeImageResult(int h, int w, int core, int s) {
    int r = 3;
    RgbImage y = noise(h, w, 7);
    RgbImage whole = boxThenNearest(y, r, s);
    assertEquals(whole, stitch(y, Tiling.plan(h, w, core, r), r, s));
    if (core < Math.max(h, w)) {
      assertFalse(whole.equals(stitch(y, Tiling.plan(h, w, core, r - 1), r, s)), "a too small margin must show");
    }
  }

  private static RgbImage stitch(RgbImage y, Tiling plan, int r, int s) {
    RgbImage out = RgbImage.zeros(y.height() * s, y.width() * s);
    for (Tiling.Tile t : plan.tiles()) {
      t.paste(boxThenNearest(t.window(y), r, s), out, s);
    }
    return out;
  }

  private static RgbImage boxThenNearest(RgbImage y, int r, int s) {
    RgbImage out = RgbImage.zeros(y.height() * s, y.width() * s);
    for (int i = 0; i < y.height(); i++) {
      for (int j = 0; j < y.width(); j++) {
        for (int c = 0; c < 3; c++) {
          float sum = 0;
          for (int di = -r; di <= r; di++) {
            for (int dj = -r; dj <= r; dj++) {
              int a = i + di;
              int b = j + dj;
              if (a >= 0 && b >= 0 && a < y.height() && b < y.width()) {
                sum += y.get(a, b, c);
              }
            }
          }
          for (int u = 0; u < s; u++) {
            for (int v = 0; v < s; v++) {
              out.set(i * s + u, j * s + v, c, sum);
            }
          }
        }
      }
    }
    return out;
  }

  static RgbImage noise(int h, int w, long seed) {
    Random random = new Random(seed);
    float[] d = new float[h * w * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = random.nextFloat();
    }
    return new RgbImage(h, w, d);
  }
}
