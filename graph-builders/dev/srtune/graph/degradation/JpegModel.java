package dev.srtune.graph.degradation;

import java.util.Arrays;
import java.util.Locale;

/**
 * How an LR image was JPEG-compressed, as {@link JpegCompression} needs it: the quantisation tables, the chroma
 * subsampling, and where the 8×8 block grid sits. A file carries its own tables; {@link #ijg} makes the standard
 * ones (libjpeg's, which PIL, ImageMagick and most cameras' software use) for a quality setting.
 *
 * @param luma the luma table, 64 values in natural (row-major) order
 * @param cb the Cb table (ignored for grey)
 * @param cr the Cr table (ignored for grey)
 * @param chromaRows vertical chroma subsampling factor (1, or 2 for 4:2:0)
 * @param chromaCols horizontal chroma subsampling factor (1, or 2 for 4:2:0 and 4:2:2)
 * @param grey a one-component (luma only) file: the RGB image is its luma three times
 * @param phaseTop image rows that a minimum coded unit (MCU) holds above the image's first row: 0 for a file as
 *     stored; an EXIF rotation moves the partial MCUs of the bottom or right edge to the top or left
 * @param phaseLeft likewise for columns
 * @param rounding how quantisation is rounded in the graph's gradient
 * @param source where the tables came from, e.g. {@code file} or {@code quality=70}
 */
public record JpegModel(int[] luma, int[] cb, int[] cr, int chromaRows, int chromaCols, boolean grey, int phaseTop,
    int phaseLeft, Rounding rounding, String source) {

  /** Rounding of the quantised DCT coefficients. */
  public enum Rounding {
    /** Exact rounding forward, identity backward (the straight-through estimator). */
    STRAIGHT_THROUGH,
    /** round(x) + (x − round(x))³ forward and backward (Shin and Song's differentiable JPEG). */
    CUBIC
  }

  /** ITU T.81 Annex K.1, the luminance table libjpeg scales, natural order. */
  static final int[] ANNEX_K_LUMA = {
      16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
      14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
      49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
  /** Annex K.2, the chrominance table. */
  static final int[] ANNEX_K_CHROMA = chroma();

  private static int[] chroma() {
    int[] c = new int[64];
    Arrays.fill(c, 99);
    int[][] top = {{17, 18, 24, 47}, {18, 21, 26, 66}, {24, 26, 56}, {47, 66}};
    for (int r = 0; r < top.length; r++) {
      System.arraycopy(top[r], 0, c, r * 8, top[r].length);
    }
    return c;
  }

  public JpegModel {
    for (int[] t : grey ? new int[][] {luma} : new int[][] {luma, cb, cr}) {
      if (t == null || t.length != 64 || Arrays.stream(t).anyMatch(q -> q < 1)) {
        throw new IllegalArgumentException("a JPEG quantisation table has 64 values >= 1");
      }
    }
    if (chromaRows < 1 || chromaCols < 1 || chromaRows > 4 || chromaCols > 4) {
      throw new IllegalArgumentException("chroma subsampling factors are 1..4, got " + chromaRows + "x" + chromaCols);
    }
    if (phaseTop < 0 || phaseTop >= 8 * chromaRows || phaseLeft < 0 || phaseLeft >= 8 * chromaCols) {
      throw new IllegalArgumentException("the block grid phase lies inside one MCU");
    }
    luma = luma.clone();
    cb = cb == null ? null : cb.clone();
    cr = cr == null ? null : cr.clone();
  }

  /**
   * libjpeg's tables for quality {@code q} (1..100, {@code jpeg_set_quality} with baseline clamping) and 4:2:0
   * chroma, as PIL and cjpeg write by default.
   */
  public static JpegModel ijg(int q) {
    if (q < 1 || q > 100) {
      throw new IllegalArgumentException("JPEG quality is 1..100, got " + q);
    }
    int percent = q < 50 ? 5000 / q : 200 - 2 * q;
    int[] l = scaled(ANNEX_K_LUMA, percent);
    int[] c = scaled(ANNEX_K_CHROMA, percent);
    return new JpegModel(l, c, c, 2, 2, false, 0, 0, Rounding.STRAIGHT_THROUGH, "quality=" + q);
  }

  private static int[] scaled(int[] base, int percent) {
    int[] t = new int[64];
    for (int i = 0; i < 64; i++) {
      t[i] = Math.max(1, Math.min(255, (base[i] * percent + 50) / 100));
    }
    return t;
  }

  /** MCU height in pixels: the luma block times the vertical subsampling. */
  public int mcuHeight() {
    return grey ? 8 : 8 * chromaRows;
  }

  public int mcuWidth() {
    return grey ? 8 : 8 * chromaCols;
  }

  public JpegModel withRounding(Rounding r) {
    return new JpegModel(luma, cb, cr, chromaRows, chromaCols, grey, phaseTop, phaseLeft, r, source);
  }

  /** E.g. {@code jpeg:quality=70,4:2:0} or {@code jpeg:file,4:4:4,phase=8x0}. */
  public String spec() {
    String sub = grey ? "grey" : chromaRows == 2 && chromaCols == 2 ? "4:2:0" : chromaRows == 1 && chromaCols == 2
        ? "4:2:2" : chromaRows == 1 && chromaCols == 1 ? "4:4:4" : chromaCols + "x" + chromaRows;
    return String.format(Locale.ROOT, "jpeg:%s,%s%s%s", source, sub,
        phaseTop == 0 && phaseLeft == 0 ? "" : ",phase=" + phaseTop + "x" + phaseLeft,
        rounding == Rounding.STRAIGHT_THROUGH ? "" : ",rounding=cubic");
  }
}
