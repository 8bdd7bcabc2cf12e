package dev.srtune.graph.lpips;

import dev.srtune.graph.torch.TorchStateDictReader;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Shared;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Time of one LPIPS (squeeze) evaluation, and of evaluation plus its gradient w.r.t. the first input, on
 * random n×n pairs (2 intra-op threads, as the loop uses). Prints the median and minimum of 30 runs after 5
 * warm-up runs.
 * Run: {@code mvn -q -B test -Dtest=LpipsTimingTest -Dsurefire.excludedGroups=} (with SRTUNE_SHARED set).
 */
@Tag("slow")
@Tag("integration")
class LpipsTimingTest {

  @ParameterizedTest(name = "{0}x{0}")
  @ValueSource(ints = {64, 128})
  void timeOneEvaluation(int n) throws Exception {
    LpipsWeights w = LpipsWeights.from(LpipsNet.SQUEEZE,
        TorchStateDictReader.read(Shared.path("models/lpips/squeezenet1_1-features.pth")),
        TorchStateDictReader.read(Shared.path("models/lpips/linear_v0.1/squeeze.pth")));
    Random rnd = new Random(n);
    RgbImage a = random(n, rnd);
    RgbImage b = random(n, rnd);
    ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(2).setInterOpParallelismThreads(1).build();
    try (Graph g = new Graph(); Session s = new Session(g, config); TFloat32 ta = a.toTensor(); TFloat32 tb = b.toTensor()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x0 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Placeholder<TFloat32> x1 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Operand<TFloat32> d = Lpips.build(tf, w, x0, x1).distance();
      Output<?> grad = g.addGradients(d.asOutput(), new Output<?>[] {x0.asOutput()})[0];
      double[] forward = times(() -> {
        try (Result r = s.runner().feed(x0, ta).feed(x1, tb).fetch(d).run()) {
          r.get(0);
        }
      });
      double[] backward = times(() -> {
        try (Result r = s.runner().feed(x0, ta).feed(x1, tb).fetch(d).fetch(grad).run()) {
          r.get(1);
        }
      });
      System.out.printf("LPIPS squeeze %dx%d pair: forward %.1f ms (min %.1f), forward+gradient %.1f ms (min %.1f); "
          + "median of 30, 2 threads, %d cores visible%n", n, n, forward[0], forward[1], backward[0], backward[1],
          Runtime.getRuntime().availableProcessors());
    }
  }

  /** {median, minimum} in ms; the minimum is the better estimate on a machine shared with other jobs. */
  private static double[] times(Runnable run) {
    for (int i = 0; i < 5; i++) {
      run.run();
    }
    double[] ms = new double[30];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      run.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return new double[] {(ms[14] + ms[15]) / 2, ms[0]};
  }

  private static RgbImage random(int n, Random rnd) {
    float[] v = new float[n * n * 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextFloat();
    }
    return new RgbImage(n, n, v);
  }
}
