package dev.srtune.image;

/**
 * The EXIF orientation of a photo (TIFF tag 274): how the stored pixels must be turned to be seen upright. Phones
 * store the sensor's rows and write this tag instead of rotating; srtune applies it on reading, so that what it
 * fine-tunes and writes is the picture as people see it.
 */
public enum Orientation {
  NORMAL(1, "as stored"),
  MIRRORED(2, "mirrored left to right"),
  ROTATED_180(3, "rotated 180 degrees"),
  FLIPPED(4, "mirrored top to bottom"),
  TRANSPOSED(5, "mirrored along the main diagonal"),
  ROTATED_90_CW(6, "rotated 90 degrees clockwise"),
  TRANSVERSE(7, "mirrored along the anti-diagonal"),
  ROTATED_90_CCW(8, "rotated 90 degrees counter-clockwise");

  private final int tag;
  private final String description;

  Orientation(int tag, String description) {
    this.tag = tag;
    this.description = description;
  }

  /** The orientation of EXIF value {@code tag}; values outside 1..8 (seen in the wild) count as {@link #NORMAL}. */
  public static Orientation ofTag(int tag) {
    return tag >= 1 && tag <= 8 ? values()[tag - 1] : NORMAL;
  }

  public int tag() {
    return tag;
  }

  public String description() {
    return description;
  }

  /** True when the upright picture's rows are the stored columns (orientations 5 to 8). */
  public boolean swapsAxes() {
    return tag >= 5;
  }

  /** True when the stored rows are read bottom to top (the stored row index counts down). */
  public boolean reversesStoredRows() {
    return tag == 3 || tag == 4 || tag == 6 || tag == 7;
  }

  /** True when the stored columns are read right to left. */
  public boolean reversesStoredColumns() {
    return tag == 2 || tag == 3 || tag == 7 || tag == 8;
  }

  /** The upright picture of {@code stored}. */
  public RgbImage apply(RgbImage stored) {
    if (this == NORMAL) {
      return stored;
    }
    int sh = stored.height();
    int sw = stored.width();
    int h = swapsAxes() ? sw : sh;
    int w = swapsAxes() ? sh : sw;
    float[] in = stored.data();
    float[] out = new float[in.length];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        // The stored row comes from the upright row (or, axes swapped, the upright column); likewise the column.
        int i = swapsAxes() ? c : r;
        int j = swapsAxes() ? r : c;
        i = reversesStoredRows() ? sh - 1 - i : i;
        j = reversesStoredColumns() ? sw - 1 - j : j;
        System.arraycopy(in, (i * sw + j) * 3, out, (r * w + c) * 3, 3);
      }
    }
    return new RgbImage(h, w, out);
  }
}
