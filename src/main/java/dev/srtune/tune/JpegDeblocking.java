package dev.srtune.tune;

import dev.srtune.graph.degradation.JpegCompression;
import dev.srtune.graph.degradation.JpegModel;
import dev.srtune.graph.train.TotalVariation;
import dev.srtune.image.RgbImage;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A JPEG LR image without its blocking, from the file alone: the image of least total variation among those the
 * file could have come from, min TV(x) + dist²(x, bins)/μ (quantisation constraint set deblocking, here by Adam on
 * x from x = y). Inside the bins only TV acts, so the blocks' edges go and what the coefficients say stays.
 */
public final class JpegDeblocking {
  /** TV weight against the distance to the bins (per pixel, [0,1] scale). */
  public static final double TV_WEIGHT_DEFAULT = 0.01;
  public static final int ITERATIONS_DEFAULT = 300;
  static final double LEARNING_RATE = 1e-3;

  private JpegDeblocking() {}

  /** y deblocked with {@code tvWeight} over {@code iterations} Adam steps. */
  public static RgbImage deblock(RgbImage y, JpegModel m, double tvWeight, int iterations) {
    try (Graph g = new Graph(); Session s = new Session(g); TFloat32 ty = y.toTensor()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Placeholder<TFloat32> file = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      var loss = tf.math.add(JpegCompression.distanceToFile(tf, x, file, m, tf.constant(0)),
          tf.math.mul(tf.constant((float) tvWeight), TotalVariation.anisotropic(tf, x, tf.constant(0))));
      Output<?> grad = g.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()})[0];
      float[] v = y.data().clone();
      double[] m1 = new double[v.length];
      double[] m2 = new double[v.length];
      for (int t = 1; t <= iterations; t++) {
        float[] gr;
        try (TFloat32 tx = new RgbImage(y.height(), y.width(), v).toTensor();
            Result r = s.runner().feed(x, tx).feed(file, ty).fetch(grad).run()) {
          gr = RgbImage.fromTensor((TFloat32) r.get(0)).data();
        }
        double c1 = 1 - Math.pow(0.9, t);
        double c2 = 1 - Math.pow(0.999, t);
        for (int i = 0; i < v.length; i++) {
          m1[i] = 0.9 * m1[i] + 0.1 * gr[i];
          m2[i] = 0.999 * m2[i] + 0.001 * gr[i] * gr[i];
          v[i] -= (float) (LEARNING_RATE * (m1[i] / c1) / (Math.sqrt(m2[i] / c2) + 1e-12));
        }
      }
      return new RgbImage(y.height(), y.width(), v).clipped();
    }
  }
}
