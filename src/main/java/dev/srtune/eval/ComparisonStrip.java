package dev.srtune.eval;

import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Side-by-side pictures of one image: bicubic | network before | network after | HR, each as a thumbnail with the
 * zoom box marked, and below it the same crop of each enlarged nearest-neighbour (so pixels stay visible). The crop
 * is where fine-tuning changed the output most.
 */
public final class ComparisonStrip {
  static final int PANEL = 160;
  private static final int LABEL = 18;
  private static final int GAP = 4;

  private ComparisonStrip() {}

  /** A square crop box in HR pixels. */
  public record Box(int top, int left, int size) {}

  /** The panels, in order, with their captions. */
  public record Panel(String caption, RgbImage image) {}

  /** The crop where before and after differ most (sum of absolute differences on a half-overlapping grid). */
  public static Box mostChanged(RgbImage before, RgbImage after) {
    int size = Math.max(8, Math.min(before.height(), before.width()) / 5);
    size = Math.min(size, Math.min(before.height(), before.width()));
    int stride = Math.max(1, size / 2);
    Box best = new Box(0, 0, size);
    double bestSum = -1;
    for (int t = 0; t + size <= before.height(); t += stride) {
      for (int l = 0; l + size <= before.width(); l += stride) {
        double sum = 0;
        for (int y = t; y < t + size; y++) {
          for (int x = l; x < l + size; x++) {
            for (int c = 0; c < 3; c++) {
              sum += Math.abs(before.get(y, x, c) - after.get(y, x, c));
            }
          }
        }
        if (sum > bestSum) {
          bestSum = sum;
          best = new Box(t, l, size);
        }
      }
    }
    return best;
  }

  public static BufferedImage strip(List<Panel> panels, Box box) {
    int n = panels.size();
    RgbImage first = panels.get(0).image();
    double f = (double) PANEL / Math.max(first.height(), first.width());
    int th = (int) Math.round(first.height() * f);
    int w = n * PANEL + (n - 1) * GAP;
    int h = LABEL + th + GAP + PANEL;
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (int i = 0; i < n; i++) {
        int x0 = i * (PANEL + GAP);
        RgbImage img = panels.get(i).image();
        g.setColor(Color.BLACK);
        g.drawString(panels.get(i).caption(), x0 + 2, LABEL - 5);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(ImageFiles.toBufferedImage(img), x0, LABEL, (int) Math.round(img.width() * f), th, null);
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(1.5f));
        g.drawRect(x0 + (int) Math.round(box.left() * f), LABEL + (int) Math.round(box.top() * f),
            Math.max(2, (int) Math.round(box.size() * f)), Math.max(2, (int) Math.round(box.size() * f)));
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(crop(img, box), x0, LABEL + th + GAP, PANEL, PANEL, null);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Only the enlarged crops, side by side (small enough to commit as a result picture). */
  static BufferedImage crops(List<Panel> panels, Box box) {
    int n = panels.size();
    int w = n * PANEL + (n - 1) * GAP;
    BufferedImage out = new BufferedImage(w, LABEL + PANEL, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, LABEL + PANEL);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (int i = 0; i < n; i++) {
        int x0 = i * (PANEL + GAP);
        g.setColor(Color.BLACK);
        g.drawString(panels.get(i).caption(), x0 + 2, LABEL - 5);
        g.drawImage(crop(panels.get(i).image(), box), x0, LABEL, PANEL, PANEL, null);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private static BufferedImage crop(RgbImage img, Box b) {
    return ImageFiles.toBufferedImage(img.crop(b.top(), b.left(), b.size(), b.size()));
  }
}
