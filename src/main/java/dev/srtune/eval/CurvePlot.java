package dev.srtune.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A PNG plot of one image's fine-tuning curve: LR-PSNR (left axis, every iteration) and HR-PSNR (right axis,
 * where measured) against iterations, with ticks, axis labels and a legend. The two PSNRs live on different
 * scales (the LR one is the optimised quantity), hence two axes.
 */
final class CurvePlot {
  static final Color LR_COLOUR = new Color(0x1f77b4);
  static final Color HR_COLOUR = new Color(0xd62728);
  private static final int W = 640;
  private static final int H = 360;
  private static final int LEFT = 64;
  private static final int RIGHT = 64;
  private static final int TOP = 36;
  private static final int BOTTOM = 48;

  private CurvePlot() {}

  static BufferedImage draw(String title, List<CurvePoint> curve) {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = PlotFrame.canvas(img);
    try {
      int pw = W - LEFT - RIGHT;
      int ph = H - TOP - BOTTOM;
      int maxIt = curve.stream().mapToInt(CurvePoint::iteration).max().orElse(1);
      AxisTicks xt = AxisTicks.covering(0, Math.max(1, maxIt), 8);
      AxisTicks lt = AxisTicks.covering(min(curve, false), max(curve, false), 6);
      boolean hasHr = curve.stream().anyMatch(p -> p.hrPsnr() != null && Double.isFinite(p.hrPsnr()));
      AxisTicks rt = hasHr ? AxisTicks.covering(min(curve, true), max(curve, true), 6) : null;
      new PlotFrame(LEFT, TOP, pw, ph).draw(g, xt, lt, "iteration", H);
      axis(g, lt, LR_COLOUR, LEFT, ph, true, "LR-PSNR (dB)");
      if (rt != null) {
        axis(g, rt, HR_COLOUR, LEFT + pw, ph, false, "HR-PSNR RGB (dB)");
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.setColor(Color.BLACK);
      g.drawString(title, LEFT, 22);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));

      g.setStroke(new BasicStroke(1.6f));
      series(g, curve, false, xt, lt, pw, ph, LR_COLOUR);
      if (rt != null) {
        series(g, curve, true, xt, rt, pw, ph, HR_COLOUR);
      }
      legend(g, LEFT + pw - 150, TOP + ph - (rt != null ? 40 : 22), rt != null);
    } finally {
      g.dispose();
    }
    return img;
  }

  private static void axis(Graphics2D g, AxisTicks t, Color c, int x, int ph, boolean left, String label) {
    g.setColor(c);
    FontMetrics fm = g.getFontMetrics();
    for (double v : t.values()) {
      int py = TOP + ph - (int) Math.round((v - t.low()) / (t.high() - t.low()) * ph);
      g.drawLine(left ? x - 4 : x, py, left ? x : x + 4, py);
      String s = t.label(v);
      g.drawString(s, left ? x - 6 - fm.stringWidth(s) : x + 6, py + 4);
    }
    Graphics2D r = (Graphics2D) g.create();
    try {
      int lx = left ? 14 : W - 8;
      int ly = TOP + ph / 2 + fm.stringWidth(label) / 2;
      r.translate(lx, ly);
      r.rotate(-Math.PI / 2);
      r.drawString(label, 0, 0);
    } finally {
      r.dispose();
    }
  }

  private static void series(Graphics2D g, List<CurvePoint> curve, boolean hr, AxisTicks xt, AxisTicks yt, int pw,
      int ph, Color c) {
    Path2D.Double path = new Path2D.Double();
    boolean started = false;
    for (CurvePoint p : curve) {
      Double v = hr ? p.hrPsnr() : Double.valueOf(p.lrPsnr());
      if (v == null || !Double.isFinite(v)) {
        continue;
      }
      double px = LEFT + (p.iteration() - xt.low()) / (xt.high() - xt.low()) * pw;
      double py = TOP + ph - (v - yt.low()) / (yt.high() - yt.low()) * ph;
      if (started) {
        path.lineTo(px, py);
      } else {
        path.moveTo(px, py);
        started = true;
      }
      if (hr) {
        g.setColor(c);
        g.fillOval((int) px - 2, (int) py - 2, 5, 5);
      }
    }
    g.setColor(c);
    g.draw(path);
  }

  private static void legend(Graphics2D g, int x, int y, boolean hr) {
    g.setColor(Color.WHITE);
    g.fillRect(x - 6, y - 12, 150, hr ? 38 : 20);
    g.setColor(Color.GRAY);
    g.drawRect(x - 6, y - 12, 150, hr ? 38 : 20);
    g.setColor(LR_COLOUR);
    g.drawLine(x, y - 4, x + 20, y - 4);
    g.setColor(Color.BLACK);
    g.drawString("LR-PSNR (left)", x + 26, y);
    if (hr) {
      g.setColor(HR_COLOUR);
      g.drawLine(x, y + 14, x + 20, y + 14);
      g.setColor(Color.BLACK);
      g.drawString("HR-PSNR (right)", x + 26, y + 18);
    }
  }

  private static double min(List<CurvePoint> curve, boolean hr) {
    return curve.stream().map(p -> hr ? p.hrPsnr() : Double.valueOf(p.lrPsnr()))
        .filter(v -> v != null && Double.isFinite(v)).mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static double max(List<CurvePoint> curve, boolean hr) {
    return curve.stream().map(p -> hr ? p.hrPsnr() : Double.valueOf(p.lrPsnr()))
        .filter(v -> v != null && Double.isFinite(v)).mapToDouble(Double::doubleValue).max().orElse(1);
  }
}
