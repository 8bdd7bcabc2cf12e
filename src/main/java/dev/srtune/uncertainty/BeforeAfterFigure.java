package dev.srtune.uncertainty;

import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The paper's Figure 9 for one image: SR before | SR after | variance before | variance after, side by side with a
 * caption above each, the two variance maps drawn on one grey scale ({@link VariancePicture}, black at
 * {@code top}) so that lighter really means less variance.
 */
public final class BeforeAfterFigure {
  static final int GAP = 4;
  static final int CAPTION_HEIGHT = 18;

  private BeforeAfterFigure() {}

  /** The shared top of the grey scale: the larger of the two maps' 99th percentiles (their maxima if both are 0). */
  public static double sharedTop(UncertaintyEstimate before, UncertaintyEstimate after) {
    double top = Math.max(before.percentile(99), after.percentile(99));
    return top > 0 ? top : Math.max(before.percentile(100), after.percentile(100));
  }

  public static BufferedImage draw(RgbImage srStart, RgbImage sr, UncertaintyEstimate before,
      UncertaintyEstimate after, double top) {
    List<BufferedImage> panels = List.of(ImageFiles.toBufferedImage(srStart), ImageFiles.toBufferedImage(sr),
        VariancePicture.draw(before.variance(), before.height(), before.width(), top),
        VariancePicture.draw(after.variance(), after.height(), after.width(), top));
    List<String> captions = List.of("SR, pretrained", "SR, fine-tuned", "variance, pretrained",
        "variance, fine-tuned");
    int width = panels.stream().mapToInt(BufferedImage::getWidth).sum() + GAP * (panels.size() - 1);
    int height = CAPTION_HEIGHT + panels.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow();
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.BLACK);
      int left = 0;
      for (int i = 0; i < panels.size(); i++) {
        g.drawString(captions.get(i), left + 2, CAPTION_HEIGHT - 5);
        g.drawImage(panels.get(i), left, CAPTION_HEIGHT, null);
        left += panels.get(i).getWidth() + GAP;
      }
    } finally {
      g.dispose();
    }
    return out;
  }
}
