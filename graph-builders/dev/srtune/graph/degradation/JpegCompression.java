package dev.srtune.graph.degradation;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A differentiable JPEG round trip in graph ops, as libjpeg compresses and decodes: RGB to JFIF YCbCr, the image
 * extended by edge replication to whole minimum coded units, chroma averaged over each subsampling block, the 8×8
 * DCT of each plane, division by the quantisation table, rounding ({@link JpegModel.Rounding}), multiplication back,
 * the inverse DCT, chroma upsampled with libjpeg's triangular ("fancy") filter for factor 2 (nearest otherwise),
 * back to RGB, clipped to [0,1]. Integer rounding of the pixels themselves (before coding and after decoding) is
 * left out: it is below the quantisation by far, and leaving it keeps the gradient.
 *
 * <p>Works on batches [B,H,W,3] of any size: a window whose top-left corner is on the block grid (a multiple of the
 * MCU in the image) sees the blocks the whole image has.
 */
public final class JpegCompression {
  private JpegCompression() {}

  /** The 64×64 DCT basis: entry [p][k] for pixel p = 8i + j and frequency k = 8u + v (orthonormal, as JPEG's). */
  static float[][] basis() {
    float[][] b = new float[64][64];
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 8; j++) {
        for (int u = 0; u < 8; u++) {
          for (int v = 0; v < 8; v++) {
            double au = u == 0 ? Math.sqrt(0.125) : 0.5;
            double av = v == 0 ? Math.sqrt(0.125) : 0.5;
            b[8 * i + j][8 * u + v] = (float) (au * av * Math.cos((2 * i + 1) * u * Math.PI / 16)
                * Math.cos((2 * j + 1) * v * Math.PI / 16));
          }
        }
      }
    }
    return b;
  }

  /** JPEG(x) for x [B,H,W,3] in [0,1]. */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, JpegModel m) {
    Ops s = tf.withSubScope("jpeg");
    List<Operand<TFloat32>> c = coefficients(s, x, m);
    Operand<TFloat32> yq = inverse(s.withSubScope("y"), round(s, c.get(0), m.rounding()), m.luma());
    Operand<TFloat32> out;
    if (m.grey()) {
      out = s.concat(List.of(yq, yq, yq), s.constant(3));
    } else {
      Operand<TFloat32> dcb = s.math.sub(chroma(s.withSubScope("cb"), round(s, c.get(1), m.rounding()), m.cb(), m),
          s.constant(128f));
      Operand<TFloat32> dcr = s.math.sub(chroma(s.withSubScope("cr"), round(s, c.get(2), m.rounding()), m.cr(), m),
          s.constant(128f));
      Operand<TFloat32> r = s.math.add(yq, s.math.mul(dcr, s.constant(1.402f)));
      Operand<TFloat32> g = s.math.sub(s.math.sub(yq, s.math.mul(dcb, s.constant(0.344136f))),
          s.math.mul(dcr, s.constant(0.714136f)));
      Operand<TFloat32> b = s.math.add(yq, s.math.mul(dcb, s.constant(1.772f)));
      out = s.concat(List.of(r, g, b), s.constant(3));
    }
    out = s.slice(out, s.constant(new int[] {0, m.phaseTop(), m.phaseLeft(), 0}), s.shape(x));
    out = s.math.maximum(s.math.minimum(out, s.constant(255f)), s.constant(0f));
    return s.math.div(out, s.constant(255f));
  }

  /**
   * The DCT coefficients the encoder quantises, in units of their table entries (c / Q, so that the file holds
   * round(c / Q)): Y, then (for colour) the subsampled Cb and Cr, each [B, blocks down, blocks across, 64] with
   * frequency k = 8u + v. The image is first extended to whole MCUs: the grid's phase above and left of it, edge
   * replication below and right up to the next MCU.
   */
  public static List<Operand<TFloat32>> coefficients(Ops tf, Operand<TFloat32> x, JpegModel m) {
    Operand<TFloat32> v = tf.math.mul(x, tf.constant(255f));
    v = Padding.pad(tf, v, 1, m.phaseTop(), m.mcuHeight() - 1, Boundary.REPLICATE);
    v = Padding.pad(tf, v, 2, m.phaseLeft(), m.mcuWidth() - 1, Boundary.REPLICATE);
    Operand<TInt32> hw = tf.slice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
    Operand<TInt32> mcu = tf.constant(new int[] {m.mcuHeight(), m.mcuWidth()});
    Operand<TInt32> covered = tf.math.mul(tf.math.floorDiv(tf.math.add(tf.math.add(hw,
        tf.constant(new int[] {m.phaseTop(), m.phaseLeft()})), tf.math.sub(mcu, tf.constant(1))), mcu), mcu);
    v = tf.slice(v, tf.constant(new int[] {0, 0, 0, 0}), tf.concat(List.of(tf.constant(new int[] {-1}), covered,
        tf.constant(new int[] {-1})), tf.constant(0)));
    List<Operand<TFloat32>> rgb = split3(tf, v);
    Operand<TFloat32> y = forward(tf.withSubScope("y"), mix(tf, rgb, 0.299f, 0.587f, 0.114f, 0f), m.luma());
    if (m.grey()) {
      return List.of(y);
    }
    Operand<TFloat32> cb = subsample(tf, mix(tf, rgb, -0.168736f, -0.331264f, 0.5f, 128f), m);
    Operand<TFloat32> cr = subsample(tf, mix(tf, rgb, 0.5f, -0.418688f, -0.081312f, 128f), m);
    return List.of(y, forward(tf.withSubScope("cb"), cb, m.cb()), forward(tf.withSubScope("cr"), cr, m.cr()));
  }

  /**
   * The squared distance, per pixel and plane on the [0,1] scale, from the image x to the set of images a JPEG with
   * y's coefficients could have come from: per coefficient, how far c / Q lies outside y's bin (half a table step
   * either side of round(c_y / Q)), times Q. Zero when x would compress to y's file. Blocks that reach into the
   * {@code margin} of a window (LR pixels at each border left out of the loss) are left out.
   */
  public static Operand<TFloat32> distanceToFile(Ops tf, Operand<TFloat32> x, Operand<TFloat32> y, JpegModel m,
      Operand<TInt32> margin) {
    Ops s = tf.withSubScope("jpeg_distance");
    List<Operand<TFloat32>> cx = coefficients(s.withSubScope("x"), x, m);
    List<Operand<TFloat32>> cy = coefficients(s.withSubScope("y"), s.stopGradient(y), m);
    int[][] tables = m.grey() ? new int[][] {m.luma()} : new int[][] {m.luma(), m.cb(), m.cr()};
    Operand<TInt32> hw = s.slice(s.shape(x), s.constant(new int[] {1}), s.constant(new int[] {2}));
    Operand<TFloat32> sum = null;
    for (int p = 0; p < cx.size(); p++) {
      float[] q = new float[64];
      for (int k = 0; k < 64; k++) {
        q[k] = tables[p][k];
      }
      Operand<TFloat32> d = s.math.sub(cx.get(p), s.stopGradient(s.math.round(cy.get(p))));
      Operand<TFloat32> outside = s.nn.relu(s.math.sub(s.math.abs(d), s.constant(0.5f)));
      Operand<TFloat32> e = s.math.square(s.math.mul(outside, s.constant(q)));
      int rows = p == 0 ? 8 : 8 * m.chromaRows();
      int cols = p == 0 ? 8 : 8 * m.chromaCols();
      Operand<TFloat32> mask = s.math.mul(inside(s, s.shape(e), 1, rows, m.phaseTop(), hw, margin),
          inside(s, s.shape(e), 2, cols, m.phaseLeft(), hw, margin));
      // Sum over a block's 64 frequencies is its squared pixel distance (the DCT is orthonormal): per pixel / 64.
      Operand<TInt32> all = s.constant(new int[] {0, 1, 2, 3});
      Operand<TFloat32> counted = s.reduceSum(s.math.mul(s.stopGradient(s.onesLike(e)), mask), all);
      Operand<TFloat32> plane = s.math.div(s.reduceSum(s.math.mul(e, mask), all),
          s.math.mul(s.math.maximum(counted, s.constant(1f)), s.constant(255f * 255f)));
      sum = sum == null ? plane : s.math.add(sum, plane);
    }
    return s.math.div(sum, s.constant((float) cx.size()));
  }

  /**
   * 1 for blocks along {@code axis} (1 rows, 2 columns) of {@code blockPixels} LR pixels that lie inside the window
   * less its margin, else 0; shaped to broadcast over [B, blocks down, blocks across, 64].
   */
  private static Operand<TFloat32> inside(Ops tf, Operand<TInt32> shape, int axis, int blockPixels, int phase,
      Operand<TInt32> hw, Operand<TInt32> margin) {
    Operand<TInt32> n = tf.reshape(tf.slice(shape, tf.constant(new int[] {axis}), tf.constant(new int[] {1})),
        tf.constant(new int[0]));
    Operand<TInt32> size = tf.reshape(tf.slice(hw, tf.constant(new int[] {axis - 1}), tf.constant(new int[] {1})),
        tf.constant(new int[0]));
    Operand<TInt32> start = tf.math.sub(tf.math.mul(tf.range(tf.constant(0), n, tf.constant(1)),
        tf.constant(blockPixels)), tf.constant(phase));
    Operand<TInt32> first = tf.math.maximum(start, tf.constant(0));
    Operand<TInt32> end = tf.math.minimum(tf.math.add(start, tf.constant(blockPixels)), size);
    Operand<TFloat32> in = tf.dtypes.cast(tf.math.logicalAnd(tf.math.greaterEqual(first, margin),
        tf.math.lessEqual(end, tf.math.sub(size, margin))), TFloat32.class);
    int[] to = {1, 1, 1, 1};
    to[axis] = -1;
    return tf.reshape(in, tf.constant(to));
  }

  private static List<Operand<TFloat32>> split3(Ops tf, Operand<TFloat32> v) {
    var parts = tf.split(tf.constant(3), v, 3L);
    return List.of(parts.output().get(0), parts.output().get(1), parts.output().get(2));
  }

  private static Operand<TFloat32> mix(Ops tf, List<Operand<TFloat32>> rgb, float a, float b, float c, float offset) {
    Operand<TFloat32> sum = tf.math.add(tf.math.add(tf.math.mul(rgb.get(0), tf.constant(a)),
        tf.math.mul(rgb.get(1), tf.constant(b))), tf.math.mul(rgb.get(2), tf.constant(c)));
    return offset == 0 ? sum : tf.math.add(sum, tf.constant(offset));
  }

  /** A chroma plane averaged over each subsampling block (libjpeg's downsampling). */
  private static Operand<TFloat32> subsample(Ops tf, Operand<TFloat32> c, JpegModel m) {
    return m.chromaRows() == 1 && m.chromaCols() == 1 ? c
        : tf.nn.avgPool(c, List.of(1L, (long) m.chromaRows(), (long) m.chromaCols(), 1L),
            List.of(1L, (long) m.chromaRows(), (long) m.chromaCols(), 1L), "VALID");
  }

  /** Quantised chroma coefficients decoded and upsampled back to the luma grid. */
  private static Operand<TFloat32> chroma(Ops tf, Operand<TFloat32> rounded, int[] table, JpegModel m) {
    Operand<TFloat32> q = inverse(tf, rounded, table);
    q = upsample(tf, q, 2, m.chromaCols());
    return upsample(tf, q, 1, m.chromaRows());
  }

  /** A plane [B,H,W,1] (H, W multiples of 8), level-shifted, to its block DCT divided by the table. */
  private static Operand<TFloat32> forward(Ops tf, Operand<TFloat32> plane, int[] table) {
    float[][] b = basis();
    float[][][][] fwd = new float[1][1][64][64];
    for (int p = 0; p < 64; p++) {
      for (int k = 0; k < 64; k++) {
        fwd[0][0][p][k] = b[p][k] / table[k]; // the DCT and the division by the table in one matrix
      }
    }
    Operand<TFloat32> pixels = tf.nn.spaceToDepth(tf.math.sub(plane, tf.constant(128f)), 8L);
    return tf.nn.conv2d(pixels, tf.constant(fwd), List.of(1L, 1L, 1L, 1L), "VALID");
  }

  /** Coefficients in table units back to a plane: multiplied by the table, inverse DCT, level shift undone. */
  private static Operand<TFloat32> inverse(Ops tf, Operand<TFloat32> coefficients, int[] table) {
    float[][] b = basis();
    float[][][][] inv = new float[1][1][64][64];
    for (int p = 0; p < 64; p++) {
      for (int k = 0; k < 64; k++) {
        inv[0][0][k][p] = b[p][k] * table[k];
      }
    }
    Operand<TFloat32> back = tf.nn.conv2d(coefficients, tf.constant(inv), List.of(1L, 1L, 1L, 1L), "VALID");
    return tf.math.add(tf.nn.depthToSpace(back, 8L), tf.constant(128f));
  }

  private static Operand<TFloat32> round(Ops tf, Operand<TFloat32> x, JpegModel.Rounding rounding) {
    Operand<TFloat32> r = tf.stopGradient(tf.math.round(x));
    if (rounding == JpegModel.Rounding.STRAIGHT_THROUGH) {
      // x + (round(x) − x) with the bracket held constant: round forward, identity backward.
      return tf.math.add(x, tf.stopGradient(tf.math.sub(r, x)));
    }
    Operand<TFloat32> d = tf.math.sub(x, r);
    return tf.math.add(r, tf.math.mul(tf.math.mul(d, d), d));
  }

  /** Upsamples {@code axis} (1 rows, 2 columns) by {@code factor}: libjpeg's triangular filter for 2. */
  private static Operand<TFloat32> upsample(Ops tf, Operand<TFloat32> p, int axis, int factor) {
    if (factor == 1) {
      return p;
    }
    Operand<TInt32> shape = tf.shape(p);
    int[] grow = {1, 1, 1, 1};
    grow[axis] = factor;
    Operand<TInt32> target = tf.math.mul(shape, tf.constant(grow));
    if (factor != 2) {
      // Each sample repeated: a new axis after `axis`, tiled, folded back.
      Operand<TFloat32> e = tf.expandDims(p, tf.constant(axis + 1));
      return tf.reshape(tf.concat(java.util.Collections.nCopies(factor, e), tf.constant(axis + 1)), target);
    }
    Operand<TFloat32> padded = Padding.pad(tf, p, axis, 1, 1, Boundary.REPLICATE);
    int[] at = new int[4];
    Operand<TFloat32> prev = tf.slice(padded, tf.constant(at), shape);
    at[axis] = 1;
    Operand<TFloat32> cur = tf.slice(padded, tf.constant(at), shape);
    at[axis] = 2;
    Operand<TFloat32> next = tf.slice(padded, tf.constant(at), shape);
    Operand<TFloat32> near = tf.math.mul(cur, tf.constant(0.75f));
    Operand<TFloat32> even = tf.math.add(near, tf.math.mul(prev, tf.constant(0.25f)));
    Operand<TFloat32> odd = tf.math.add(near, tf.math.mul(next, tf.constant(0.25f)));
    return tf.reshape(tf.stack(List.of(even, odd), org.tensorflow.op.core.Stack.axis((long) axis + 1)), target);
  }
}
