package dev.srtune.uncertainty;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A variance map drawn as the paper's Figure 9 draws it: white where the passes agree, black where they vary most,
 * linearly from 0 to a top value (the map's 99th percentile, so a few extreme pixels do not wash the rest out;
 * pixels above it are black), with a legend under the map: a bar from white to black labelled with both ends.
 */
public final class VariancePicture {
  static final int LEGEND_HEIGHT = 40;
  static final int MIN_WIDTH = 260;

  private VariancePicture() {}

  /** The picture of {@code variance} (H×W row-major), its grey scale topping out at {@code top}. */
  public static BufferedImage draw(float[] variance, int height, int width, double top) {
    double scale = top > 0 ? top : 1;
    int pw = Math.max(width, MIN_WIDTH);
    BufferedImage img = new BufferedImage(pw, height + LEGEND_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, pw, height + LEGEND_HEIGHT);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          img.setRGB(x, y, grey(variance[y * width + x] / scale));
        }
      }
      int barLeft = 8;
      int barWidth = pw - 16;
      int barTop = height + 6;
      for (int x = 0; x < barWidth; x++) {
        int rgb = grey((double) x / (barWidth - 1));
        for (int y = 0; y < 10; y++) {
          img.setRGB(barLeft + x, barTop + y, rgb);
        }
      }
      g.setColor(Color.GRAY);
      g.drawRect(barLeft - 1, barTop - 1, barWidth + 1, 11);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      FontMetrics fm = g.getFontMetrics();
      int base = barTop + 10 + fm.getAscent() + 2;
      g.drawString("0", barLeft, base);
      String right = String.format(Locale.ROOT, "\u2265 %.2g", top);
      g.drawString(right, barLeft + barWidth - fm.stringWidth(right), base);
      // The longest caption that fits between the two end labels (narrow images get a shorter one, or none).
      int free0 = barLeft + fm.stringWidth("0") + 6;
      int free1 = barLeft + barWidth - fm.stringWidth(right) - 6;
      for (String mid : new String[] {"pixel variance over passes", "variance"}) {
        int x = barLeft + (barWidth - fm.stringWidth(mid)) / 2;
        if (x >= free0 && x + fm.stringWidth(mid) <= free1) {
          g.drawString(mid, x, base);
          break;
        }
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** 0 → white, 1 and above → black. */
  static int grey(double fraction) {
    int level = (int) Math.round(255 * (1 - Math.min(1, Math.max(0, fraction))));
    return level << 16 | level << 8 | level;
  }
}
