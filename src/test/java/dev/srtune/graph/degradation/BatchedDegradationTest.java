package dev.srtune.graph.degradation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.srtune.image.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Crop training feeds A a batch of windows: A on a batch must be A on each of its images, for every operator. */
class BatchedDegradationTest {
  private static final String[] SPECS = {"bicubic", "bicubic-sym", "lanczos3", "gaussian:15:1.6+bicubic",
      "gaussian:9:2.5,1,30+bicubic-sym", "disk:3+lanczos3"};

  static RgbImage noise(int h, int w, long seed) {
    Random r = new Random(seed);
    float[] d = new float[h * w * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    return new RgbImage(h, w, d);
  }

  @Test
  void batchOfThreeEqualsEachAlone() {
    for (String spec : SPECS) {
      for (int s : new int[] {2, 3, 4}) {
        Degradation a = Degradations.parse(spec, s);
        RgbImage[] images = {noise(36, 24, 1), noise(36, 24, 2), noise(36, 24, 3)};
        float[] all = new float[3 * 36 * 24 * 3];
        for (int i = 0; i < 3; i++) {
          System.arraycopy(images[i].data(), 0, all, i * 36 * 24 * 3, 36 * 24 * 3);
        }
        try (Graph g = new Graph(); Session sess = new Session(g)) {
          Ops tf = Ops.create(g);
          Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
          Operand<TFloat32> out = a.apply(tf, x);
          try (TFloat32 in = TFloat32.tensorOf(Shape.of(3, 36, 24, 3), DataBuffers.of(all, true, false));
              Result r = sess.runner().feed(x, in).fetch(out).run()) {
            TFloat32 batch = (TFloat32) r.get(0);
            assertEquals(Shape.of(3, 36 / s, 24 / s, 3), batch.shape(), spec + " x" + s);
            for (int i = 0; i < 3; i++) {
              RgbImage alone = OpRunner.run(images[i], a);
              for (int yy = 0; yy < alone.height(); yy++) {
                for (int xx = 0; xx < alone.width(); xx++) {
                  for (int c = 0; c < 3; c++) {
                    assertEquals(alone.get(yy, xx, c), batch.getFloat(i, yy, xx, c), 1e-6f,
                        spec + " x" + s + " image " + i + " at " + yy + "," + xx + "," + c);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
