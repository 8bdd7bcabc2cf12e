package dev.srtune.eval;

import java.util.ArrayList;
import java.util.List;

/** "Nice" axis ticks (steps of 1, 2 or 5 × 10^k) covering a range, as plotting libraries choose them. */
record AxisTicks(double low, double high, double step) {

  static AxisTicks covering(double min, double max, int targetCount) {
    if (!(max > min)) {
      double pad = Math.max(Math.abs(min) * 0.01, 0.5);
      min -= pad;
      max += pad;
    }
    double raw = (max - min) / Math.max(1, targetCount);
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double norm = raw / mag;
    double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
    return new AxisTicks(Math.floor(min / step) * step, Math.ceil(max / step) * step, step);
  }

  List<Double> values() {
    List<Double> v = new ArrayList<>();
    for (double x = low; x <= high + step * 1e-6; x += step) {
      v.add(Math.abs(x) < step * 1e-9 ? 0 : x);
    }
    return v;
  }

  String label(double v) {
    int digits = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
    return String.format(java.util.Locale.ROOT, "%." + digits + "f", v);
  }
}
