package dev.srtune.degrade;

import dev.srtune.graph.degradation.JpegModel;
import dev.srtune.image.ImageFile;
import dev.srtune.image.JpegFacts;
import dev.srtune.image.Orientation;

/** The JPEG model of an LR file: its own tables and subsampling, turned with its EXIF orientation. */
public final class JpegModels {
  private JpegModels() {}

  /**
   * The model of {@code file}'s compression, or null with the reason in {@code why[0]} when it has none that A can
   * use (not a JPEG; CMYK, YCCK or RGB; chroma sampled other than by whole factors of the luma).
   */
  public static JpegModel of(ImageFile file, String[] why) {
    if (file.jpeg().isEmpty()) {
      why[0] = "it is not a JPEG";
      return null;
    }
    JpegFacts f = file.jpeg().get();
    if (!f.grey() && !f.ycbcr()) {
      why[0] = "it is a " + f.describe().get("colour") + " JPEG (only YCbCr and grey ones are modelled)";
      return null;
    }
    JpegFacts.Component y = f.components().get(0);
    int rows = 1;
    int cols = 1;
    int[] cb = null;
    int[] cr = null;
    if (!f.grey()) {
      JpegFacts.Component c1 = f.components().get(1);
      JpegFacts.Component c2 = f.components().get(2);
      if (c1.hSampling() != c2.hSampling() || c1.vSampling() != c2.vSampling() || y.hSampling() % c1.hSampling() != 0
          || y.vSampling() % c1.vSampling() != 0 || y.hSampling() / c1.hSampling() > 4
          || y.vSampling() / c1.vSampling() > 4) {
        why[0] = "its chroma sampling (" + f.subsampling() + ") is not a whole factor of its luma's";
        return null;
      }
      rows = y.vSampling() / c1.vSampling();
      cols = y.hSampling() / c1.hSampling();
      cb = c1.table();
      cr = c2.table();
    }
    if (y.table() == null || (!f.grey() && (cb == null || cr == null))) {
      why[0] = "it does not hold all its quantisation tables";
      return null;
    }
    Orientation o = file.orientation();
    boolean swap = o.swapsAxes();
    int mcuRows = 8 * (swap ? cols : rows);
    int mcuCols = 8 * (swap ? rows : cols);
    // A reversed axis puts the stored image's partial MCU (its bottom or right edge) first.
    boolean rowsReversed = swap ? o.reversesStoredColumns() : o.reversesStoredRows();
    boolean colsReversed = swap ? o.reversesStoredRows() : o.reversesStoredColumns();
    int uprightHeight = swap ? file.storedWidth() : file.storedHeight();
    int uprightWidth = swap ? file.storedHeight() : file.storedWidth();
    int phaseTop = rowsReversed ? Math.floorMod(-uprightHeight, mcuRows) : 0;
    int phaseLeft = colsReversed ? Math.floorMod(-uprightWidth, mcuCols) : 0;
    return new JpegModel(turn(y.table(), swap), turn(cb, swap), turn(cr, swap), swap ? cols : rows,
        swap ? rows : cols, f.grey(), phaseTop, phaseLeft, JpegModel.Rounding.STRAIGHT_THROUGH, "file");
  }

  /** A table for blocks seen transposed (frequency (u,v) becomes (v,u)); mirroring keeps a table as it is. */
  private static int[] turn(int[] table, boolean transpose) {
    if (table == null || !transpose) {
      return table;
    }
    int[] t = new int[64];
    for (int u = 0; u < 8; u++) {
      for (int v = 0; v < 8; v++) {
        t[8 * v + u] = table[8 * u + v];
      }
    }
    return t;
  }
}
