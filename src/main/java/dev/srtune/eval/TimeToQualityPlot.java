package dev.srtune.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/** HR-PSNR against wall seconds, one line per schedule, with ticks, axis labels and a legend. */
final class TimeToQualityPlot {
  private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};
  private static final int W = 720;
  private static final int H = 400;
  private static final int LEFT = 64;
  private static final int RIGHT = 24;
  private static final int TOP = 36;
  private static final int BOTTOM = 48;

  private TimeToQualityPlot() {}

  /** {@code series}: schedule name → points {seconds, HR-PSNR}. */
  static BufferedImage draw(String title, Map<String, List<double[]>> series) {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = PlotFrame.canvas(img);
    try {
      int pw = W - LEFT - RIGHT;
      int ph = H - TOP - BOTTOM;
      double maxT = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1);
      double minY = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[1]).min().orElse(0);
      double maxY = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[1]).max().orElse(1);
      AxisTicks xt = AxisTicks.covering(0, Math.max(1, maxT), 8);
      AxisTicks yt = AxisTicks.covering(minY, maxY, 6);
      PlotFrame frame = new PlotFrame(LEFT, TOP, pw, ph);
      frame.draw(g, xt, yt, "wall seconds", H);
      FontMetrics fm = g.getFontMetrics();
      for (double y : yt.values()) {
        int py = frame.y(yt, y);
        g.drawLine(LEFT - 4, py, LEFT, py);
        String s = yt.label(y);
        g.drawString(s, LEFT - 6 - fm.stringWidth(s), py + 4);
      }
      Graphics2D r = (Graphics2D) g.create();
      try {
        String yl = "HR-PSNR RGB (dB)";
        r.translate(14, TOP + ph / 2 + fm.stringWidth(yl) / 2);
        r.rotate(-Math.PI / 2);
        r.drawString(yl, 0, 0);
      } finally {
        r.dispose();
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString(title, LEFT, 22);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.setStroke(new BasicStroke(1.6f));
      int i = 0;
      int lx = LEFT + pw - 170;
      int ly = TOP + ph - 14 - 18 * (series.size() - 1);
      for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
        Color c = COLOURS[i % COLOURS.length];
        Path2D.Double path = new Path2D.Double();
        boolean started = false;
        for (double[] p : e.getValue()) {
          double px = frame.x(xt, p[0]);
          double py = TOP + ph - (p[1] - yt.low()) / (yt.high() - yt.low()) * ph;
          if (started) {
            path.lineTo(px, py);
          } else {
            path.moveTo(px, py);
            started = true;
          }
        }
        g.setColor(c);
        g.draw(path);
        int y = ly + 18 * i;
        g.setColor(Color.WHITE);
        g.fillRect(lx - 4, y - 12, 170, 18);
        g.setColor(c);
        g.drawLine(lx, y - 4, lx + 20, y - 4);
        g.setColor(Color.BLACK);
        g.drawString("--schedule " + e.getKey(), lx + 26, y);
        i++;
      }
    } finally {
      g.dispose();
    }
    return img;
  }
}
