package dev.srtune.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** What srtune's PNG plots share: a white antialiased canvas, and a plot box with y grid lines and x ticks. */
record PlotFrame(int left, int top, int width, int height) {

  /** Graphics on {@code img}: antialiased, white, an 11 pt sans-serif font. The caller disposes it. */
  static Graphics2D canvas(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    return g;
  }

  /** Grey grid lines at {@code yt}'s ticks, the box, {@code xt}'s ticks and labels, and the x-axis label below. */
  void draw(Graphics2D g, AxisTicks xt, AxisTicks yt, String xLabel, int imageHeight) {
    g.setColor(new Color(0xeeeeee));
    for (double y : yt.values()) {
      g.drawLine(left, y(yt, y), left + width, y(yt, y));
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, width, height);
    FontMetrics fm = g.getFontMetrics();
    for (double x : xt.values()) {
      int px = (int) Math.round(x(xt, x));
      g.drawLine(px, top + height, px, top + height + 4);
      String s = xt.label(x);
      g.drawString(s, px - fm.stringWidth(s) / 2, top + height + 16);
    }
    g.drawString(xLabel, left + width / 2 - fm.stringWidth(xLabel) / 2, imageHeight - 12);
  }

  double x(AxisTicks xt, double v) {
    return left + (v - xt.low()) / (xt.high() - xt.low()) * width;
  }

  int y(AxisTicks yt, double v) {
    return top + height - (int) Math.round((v - yt.low()) / (yt.high() - yt.low()) * height);
  }
}
