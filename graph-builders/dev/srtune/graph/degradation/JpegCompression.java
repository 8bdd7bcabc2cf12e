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
    Operand<TInt32> shape = s.shape(x);
    Operand<TFloat32> v = s.math.mul(x, s.constant(255f));
    // Whole MCUs: the grid's phase above/left of the image, edge replication below/right up to the next MCU.
    v = Padding.pad(s, v, 1, m.phaseTop(), m.mcuHeight() - 1, Boundary.REPLICATE);
    v = Padding.pad(s, v, 2, m.phaseLeft(), m.mcuWidth() - 1, Boundary.REPLICATE);
    Operand<TInt32> hw = s.slice(shape, s.constant(new int[] {1}), s.constant(new int[] {2}));
    Operand<TInt32> mcu = s.constant(new int[] {m.mcuHeight(), m.mcuWidth()});
    Operand<TInt32> covered = s.math.mul(s.math.floorDiv(s.math.add(s.math.add(hw,
        s.constant(new int[] {m.phaseTop(), m.phaseLeft()})), s.math.sub(mcu, s.constant(1))), mcu), mcu);
    v = s.slice(v, s.constant(new int[] {0, 0, 0, 0}), s.concat(List.of(s.constant(new int[] {-1}), covered,
        s.constant(new int[] {-1})), s.constant(0)));
    List<Operand<TFloat32>> rgb = split3(s, v);
    Operand<TFloat32> y = mix(s, rgb, 0.299f, 0.587f, 0.114f, 0f);
    Operand<TFloat32> out;
    if (m.grey()) {
      Operand<TFloat32> yq = blocks(s.withSubScope("y"), y, m.luma(), m.rounding());
      out = s.concat(List.of(yq, yq, yq), s.constant(3));
    } else {
      Operand<TFloat32> cb = mix(s, rgb, -0.168736f, -0.331264f, 0.5f, 128f);
      Operand<TFloat32> cr = mix(s, rgb, 0.5f, -0.418688f, -0.081312f, 128f);
      Operand<TFloat32> yq = blocks(s.withSubScope("y"), y, m.luma(), m.rounding());
      Operand<TFloat32> cbq = chroma(s.withSubScope("cb"), cb, m.cb(), m);
      Operand<TFloat32> crq = chroma(s.withSubScope("cr"), cr, m.cr(), m);
      Operand<TFloat32> dcb = s.math.sub(cbq, s.constant(128f));
      Operand<TFloat32> dcr = s.math.sub(crq, s.constant(128f));
      Operand<TFloat32> r = s.math.add(yq, s.math.mul(dcr, s.constant(1.402f)));
      Operand<TFloat32> g = s.math.sub(s.math.sub(yq, s.math.mul(dcb, s.constant(0.344136f))),
          s.math.mul(dcr, s.constant(0.714136f)));
      Operand<TFloat32> b = s.math.add(yq, s.math.mul(dcb, s.constant(1.772f)));
      out = s.concat(List.of(r, g, b), s.constant(3));
    }
    out = s.slice(out, s.constant(new int[] {0, m.phaseTop(), m.phaseLeft(), 0}), shape);
    out = s.math.maximum(s.math.minimum(out, s.constant(255f)), s.constant(0f));
    return s.math.div(out, s.constant(255f));
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

  /** A chroma plane subsampled, coded and upsampled back to the luma grid. */
  private static Operand<TFloat32> chroma(Ops tf, Operand<TFloat32> c, int[] table, JpegModel m) {
    Operand<TFloat32> sub = m.chromaRows() == 1 && m.chromaCols() == 1 ? c
        : tf.nn.avgPool(c, List.of(1L, (long) m.chromaRows(), (long) m.chromaCols(), 1L),
            List.of(1L, (long) m.chromaRows(), (long) m.chromaCols(), 1L), "VALID");
    Operand<TFloat32> q = blocks(tf, sub, table, m.rounding());
    q = upsample(tf, q, 2, m.chromaCols());
    return upsample(tf, q, 1, m.chromaRows());
  }

  /** One plane [B,H,W,1] (H, W multiples of 8) through DCT, quantisation and inverse DCT, level shift included. */
  private static Operand<TFloat32> blocks(Ops tf, Operand<TFloat32> plane, int[] table, JpegModel.Rounding rounding) {
    float[][] b = basis();
    float[][][][] fwd = new float[1][1][64][64];
    float[][][][] inv = new float[1][1][64][64];
    for (int p = 0; p < 64; p++) {
      for (int k = 0; k < 64; k++) {
        fwd[0][0][p][k] = b[p][k] / table[k]; // the DCT and the division by the table in one matrix
        inv[0][0][k][p] = b[p][k] * table[k];
      }
    }
    List<Long> one = List.of(1L, 1L, 1L, 1L);
    Operand<TFloat32> pixels = tf.nn.spaceToDepth(tf.math.sub(plane, tf.constant(128f)), 8L);
    Operand<TFloat32> scaled = tf.nn.conv2d(pixels, tf.constant(fwd), one, "VALID");
    Operand<TFloat32> rounded = round(tf, scaled, rounding);
    Operand<TFloat32> back = tf.nn.conv2d(rounded, tf.constant(inv), one, "VALID");
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
