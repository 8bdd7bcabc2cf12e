package dev.srtune.testing;

import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.savedmodel.SrSavedModelWriter;
import dev.srtune.graph.savedmodel.SrSignature;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Tiny SR networks built by the tests, with weights whose effect can be computed by hand. */
public final class TinyModels {
  private TinyModels() {}

  /** lr placeholder [1,-1,-1,3] named {@code lr}. */
  public static Placeholder<TFloat32> input(Ops tf) {
    return tf.withName(SrSignature.INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
  }

  public static Operand<TFloat32> nearestUp(Ops tf, Operand<TFloat32> x, int s) {
    Operand<TInt32> hw = tf.slice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
    return tf.image.resizeNearestNeighbor(x, tf.math.mul(hw, tf.constant(new int[] {s, s})));
  }

  /** sr = w · nearest_up(lr) with a scalar ref variable w initialised to {@code w0}. */
  public static Operand<TFloat32> scalarRef(Ops tf, Operand<TFloat32> lr, int s, float w0) {
    Operand<TFloat32> w = tf.withName("w").variable(tf.constant(w0));
    return tf.withName(SrSignature.OUTPUT).identity(tf.math.mul(nearestUp(tf, lr, s), w));
  }

  /** sr = w · nearest_up(lr) with a scalar resource variable w initialised to {@code w0}. */
  public static Operand<TFloat32> scalarResource(Ops tf, Operand<TFloat32> lr, int s, float w0) {
    VarHandleOp h = tf.withName("w").varHandleOp(TFloat32.class, Shape.scalar(), VarHandleOp.sharedName("w"));
    tf.withInitScope().assignVariableOp(h, tf.withInitScope().constant(w0));
    Operand<TFloat32> w = tf.readVariableOp(h, TFloat32.class);
    return tf.withName(SrSignature.OUTPUT).identity(tf.math.mul(nearestUp(tf, lr, s), w));
  }

  /** A small conv net: sr = nearest_up(lr) + conv3x3(relu(conv3x3(nearest_up(lr)))), ref variables. */
  public static Operand<TFloat32> smallConv(Ops tf, Operand<TFloat32> lr, int s, long seed) {
    Operand<TFloat32> up = nearestUp(tf, lr, s);
    Operand<TFloat32> w1 = tf.withName("conv1_w").variable(
        tf.math.mul(tf.random.statelessRandomNormal(tf.constant(new long[] {3, 3, 3, 8}), tf.constant(new long[] {seed, 1}), TFloat32.class), tf.constant(0.1f)));
    Operand<TFloat32> w2 = tf.withName("conv2_w").variable(
        tf.math.mul(tf.random.statelessRandomNormal(tf.constant(new long[] {3, 3, 8, 3}), tf.constant(new long[] {seed, 2}), TFloat32.class), tf.constant(0.1f)));
    Operand<TFloat32> h = tf.nn.relu(tf.nn.conv2d(up, w1, List.of(1L, 1L, 1L, 1L), "SAME"));
    h = tf.nn.conv2d(h, w2, List.of(1L, 1L, 1L, 1L), "SAME");
    return tf.withName(SrSignature.OUTPUT).identity(tf.math.add(up, h));
  }

  /** Writes a SavedModel of a ref-variable network built by {@code body}; metadata says it is x{@code s}. */
  public static Path save(Path dir, int s, java.util.function.BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> body)
      throws Exception {
    try (Graph g = new Graph(); Session session = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = input(tf);
      Operand<TFloat32> sr = body.apply(tf, lr);
      session.initialize();
      SrSavedModelWriter.export(session, lr, sr, dir, Map.of("name", "tiny", "scale", s));
    }
    return dir;
  }

  /** s×s average pooling: A(nearest_up(y)) = y exactly, so losses can be computed by hand. */
  public static Degradation averagePool(int s) {
    return new Degradation() {
      @Override
      public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> hr) {
        return tf.nn.avgPool(hr, List.of(1L, (long) s, (long) s, 1L), List.of(1L, (long) s, (long) s, 1L), "VALID");
      }

      @Override
      public int scale() {
        return s;
      }

      @Override
      public String spec() {
        return "avgpool";
      }
    };
  }
}
