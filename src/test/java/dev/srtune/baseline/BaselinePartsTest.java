package dev.srtune.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small host-side parts of the baselines, against values computed with numpy. */
class BaselinePartsTest {

  /**
   * numpy 2.4: {@code polyfit(x, y, 1, cov=True)} gives slope −1.46e-5 and √cov[0,0] = 2.4303634844744174e-06 (scaled
   * by RSS/(n−2)); ZSSR's numpy scaled by RSS/(n−4): ×√3 = 4.209513035969825e-06.
   */
  @Test
  void slopeTestMatchesNumpysPolyfitOfZssrsTime() {
    SlopeTest.Fit falling = SlopeTest.fit(List.of(0, 50, 100, 150, 200), List.of(0.010, 0.0085, 0.0081, 0.0072,
        0.0070));
    assertEquals(-1.46e-5, falling.slope(), 1e-15);
    assertEquals(4.209513035969825e-06, falling.std(), 1e-15);
    SlopeTest.Fit flat = SlopeTest.fit(List.of(0, 50, 100, 150, 200), List.of(0.0070, 0.0071, 0.0069, 0.0070, 0.0070));
    assertEquals(-2.0e-7, flat.slope(), 1e-15);
    assertEquals(8.717797887081387e-07, flat.std(), 1e-15);
    SlopeTest zssr = new SlopeTest(1.5);
    assertFalse(zssr.reduce(falling), "a clearly falling error keeps the rate");
    assertTrue(zssr.reduce(flat), "a flat error divides it");
  }

  /** Transform 1 is numpy's rot90 (checked on a 2x3 image), and every transform is undone by its inverse. */
  @Test
  void dihedralTransformsAreTheEightSymmetries() {
    RgbImage a = RgbImage.zeros(2, 3);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        a.set(y, x, 0, (y * 3 + x) * 3);
      }
    }
    RgbImage r = Dihedral.apply(a, 1);
    float[][] numpy = {{6, 15}, {3, 12}, {0, 9}};
    assertEquals(3, r.height());
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        assertEquals(numpy[i][j], r.get(i, j, 0));
      }
    }
    Set<String> distinct = new HashSet<>();
    for (int k = 0; k < Dihedral.COUNT; k++) {
      RgbImage t = Dihedral.apply(a, k);
      distinct.add(t.height() + "x" + t.width() + java.util.Arrays.toString(t.data()));
      assertEquals(a, Dihedral.invert(t, k), "transform " + k);
    }
    assertEquals(8, distinct.size());
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    List<RgbImage> v = List.of(1f, 7f, 3f, 5f).stream().map(x -> {
      RgbImage i = RgbImage.zeros(1, 1);
      i.set(0, 0, 1, x);
      return i;
    }).toList();
    assertArrayEquals(new float[] {0, 4, 0}, Zssr.median(v).data());
  }
}
