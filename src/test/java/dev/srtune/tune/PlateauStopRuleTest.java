package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlateauStopRuleTest {
  static List<IterationRecord> psnrCurve(double... values) {
    List<IterationRecord> h = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      h.add(new IterationRecord(i, Math.pow(10, -values[i] / 10), values[i], Map.of("lr_lpips", values[i]), i));
    }
    return h;
  }

  @Test
  void needsMoreThanAWindowOfHistory() {
    PlateauStopRule r = PlateauStopRule.lrPsnr(0.04, 3);
    assertEquals(Optional.empty(), r.check(psnrCurve(30, 30, 30)));
    assertEquals(Optional.of("lr_psnr_plateau"), r.check(psnrCurve(30, 30, 30, 30)));
  }

  @Test
  void keepsGoingWhileTheWindowGainsMoreThanDelta() {
    PlateauStopRule r = PlateauStopRule.lrPsnr(0.04, 2);
    assertEquals(Optional.empty(), r.check(psnrCurve(30.00, 30.03, 30.05)));
    assertTrue(r.check(psnrCurve(30.00, 30.03, 30.05, 30.06, 30.07)).isPresent()); // 30.07 - 30.03 = 0.04
  }

  @Test
  void aDropDoesNotCountAsProgress() {
    PlateauStopRule r = PlateauStopRule.lrPsnr(0.04, 2);
    assertTrue(r.check(psnrCurve(31, 30, 30.5)).isPresent());
  }

  @Test
  void lowerIsBetterForLpips() {
    PlateauStopRule r = PlateauStopRule.lrLpips(3e-5, 2);
    assertEquals(Optional.empty(), r.check(psnrCurve(0.100, 0.090, 0.080)));
    assertTrue(r.check(psnrCurve(0.100, 0.090, 0.09, 0.08999)).isPresent());
    assertEquals(Optional.of("lr_lpips"), r.requiredMetric());
  }
}
