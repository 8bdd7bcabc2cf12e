package dev.srtune.metrics;

import dev.srtune.graph.lpips.Lpips;
import dev.srtune.graph.lpips.LpipsNet;
import dev.srtune.graph.lpips.LpipsWeights;
import dev.srtune.image.RgbImage;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * LPIPS v0.1 of two host images, on their own small graph and session (built once, any image size). Images are
 * RGB in [0,1] as given, not rounded; lower is more similar, identical images give 0.
 */
public final class LpipsDistance implements AutoCloseable {
  private final LpipsNet net;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> x0;
  private final Placeholder<TFloat32> x1;
  private final org.tensorflow.Operand<TFloat32> distance;

  public LpipsDistance(LpipsWeights weights) {
    this.net = weights.net();
    this.graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      x0 = tf.withName("x0").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      x1 = tf.withName("x1").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      distance = Lpips.build(tf, weights, x0, x1).distance();
      // The threads every srtune session gets: a Spark task's cpus, SRTUNE_THREADS, else all cores.
      session = new Session(graph, dev.srtune.model.SessionConfig.get());
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  public LpipsNet net() {
    return net;
  }

  /** LPIPS between {@code a} and {@code b} (symmetric); they must have the same size, at least the backbone's minimum. */
  public double between(RgbImage a, RgbImage b) {
    Psnr.requireSameSize(a, b);
    int min = net.minInputSize();
    if (a.height() < min || a.width() < min) {
      throw new IllegalArgumentException("LPIPS " + net.id() + " needs images of at least " + min + "x" + min
          + " pixels, got " + a.height() + "x" + a.width());
    }
    try (TFloat32 ta = a.toTensor(); TFloat32 tb = b.toTensor();
        Result r = session.runner().feed(x0, ta).feed(x1, tb).fetch(distance).run()) {
      return ((TFloat32) r.get(0)).getFloat(0);
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
