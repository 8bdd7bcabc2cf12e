package dev.srtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import dev.srtune.testing.Arrays2;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The impulse measurement on a hand-built ×2 network whose field is known: a 3×3 conv (radius 1), a 5×5 conv (2),
 * a 3×3 conv dilated by 2 (2) at LR, nearest ×2, then a 3×3 conv at HR (one HR pixel reaches one LR pixel further):
 * 6 LR pixels. Positive weights and no ReLU, so no path is dead and the response is non-zero out to exactly 6.
 */
class ReceptiveFieldTest {
  static final int FIELD = 6;
  static Graph graph;
  static Session session;
  static Output<TFloat32> lr;
  static Output<TFloat32> sr;

  @BeforeAll
  static void build() {
    graph = new Graph();
    Ops tf = Ops.create(graph);
    Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
    Operand<TFloat32> h = conv(tf, x, 3, 3, 4, 1);
    h = conv(tf, h, 5, 4, 4, 1);
    h = conv(tf, h, 3, 4, 4, 2);
    Operand<TInt32> hw = tf.slice(tf.shape(h), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
    h = tf.image.resizeNearestNeighbor(h, tf.math.mul(hw, tf.constant(new int[] {2, 2})));
    h = conv(tf, h, 3, 4, 3, 1);
    lr = x.output();
    sr = tf.identity(h).output();
    session = new Session(graph);
  }

  private static Operand<TFloat32> conv(Ops tf, Operand<TFloat32> in, int k, int cin, int cout, int dilation) {
    float[] w = new float[k * k * cin * cout];
    for (int i = 0; i < w.length; i++) {
      w[i] = (1 + i % 3) / (float) (2 * k * k * cin); // positive, not all equal
    }
    Operand<TFloat32> filter = tf.constant(Shape.of(k, k, cin, cout),
        org.tensorflow.ndarray.buffer.DataBuffers.of(w, true, false));
    return tf.nn.conv2d(in, filter, List.of(1L, 1L, 1L, 1L), "SAME",
        Conv2d.dilations(List.of(1L, (long) dilation, (long) dilation, 1L)));
  }

  @AfterAll
  static void close() {
    session.close();
    graph.close();
  }

  @Test
  void measuresTheKnownField() {
    ReceptiveField field = ReceptiveField.measure(session, lr, sr, 2);
    double[] response = field.response();
    System.out.println("tiny x2 net: " + field + ", response " + java.util.Arrays.toString(response));
    assertEquals(FIELD, field.support());
    assertFalse(field.truncated());
    assertTrue(response[FIELD] > 0);
    for (int d = FIELD + 1; d < response.length; d++) {
      assertEquals(0.0, response[d], "response at distance " + d);
    }
    assertEquals(FIELD, field.radius(0), "no tolerance: the whole support");
    assertEquals(0, field.radius(1e9));
    assertTrue(field.margin() <= FIELD);
  }

  @Test
  void aCapBelowTheFieldSaysSo() {
    ReceptiveField field = ReceptiveField.measure(session, lr, sr, 2, 4);
    assertTrue(field.truncated());
    assertEquals(4, field.support());
  }

  @Test
  void tilesWithTheMeasuredSupportAsMarginJoinWithoutSeams() {
    RgbImage y = TilingTest.noise(45, 61, 3);
    TiledInference run = new TiledInference(session, lr, sr, 2, FIELD, new MemoryEstimate(0, 1), Long.MAX_VALUE);
    RgbImage whole = run.superResolve(y, Tiling.whole(45, 61));
    RgbImage tiled = run.superResolve(y, Tiling.plan(45, 61, 16, FIELD));
    double err = Arrays2.maxAbsDiff(whole.data(), tiled.data());
    RgbImage seams = run.superResolve(y, Tiling.plan(45, 61, 16, FIELD - 1));
    double seamErr = Arrays2.maxAbsDiff(whole.data(), seams.data());
    System.out.printf("tiny x2 net: tiled vs whole max abs diff %.3g at margin %d, %.3g at margin %d%n",
        err, FIELD, seamErr, FIELD - 1);
    assertTrue(err <= 1e-6, "margin = field: " + err);
    assertTrue(seamErr > 1e-5, "margin below the field must show: " + seamErr);
  }
}
