package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.graph.degradation.BicubicUpsampler;
import dev.srtune.graph.degradation.Boundary;
import dev.srtune.graph.savedmodel.SrSignature;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Shared;
import dev.srtune.testing.TinyModels;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A planned run with time to spare stretches fast's cosine over it only where the network starts far less
 * consistent with y than y's own bicubic enlargement. The network is sr = w · bicubic_up(y) (a real graph, w a
 * variable) under A = 2×2 average pooling, y butterfly's ×4 LR from the references: at w = 1 it starts exactly as
 * consistent as bicubic, at w = 0.5 far less. Bicubic's LR-PSNR is computed here from the enlargement computed
 * independently in float64 ({@code reference/resize/replicate}).
 */
@Tag("integration")
class StretchedPlanTest {

  @Test
  void aPlanWithTimeToSpareStretchesOnlyWhereTheStartIsFarLessConsistentThanBicubic() {
    RgbImage y = Shared.referenceImage("resize/replicate/butterfly_down_x4.npy");
    RgbImage up = Shared.referenceImage("resize/replicate/butterfly_down_x4_up_x2.npy");
    double bicubic = IterationRecord.psnrFromMse(mse(averagePool2(up), y));
    FineTuneOptions o = Schedules.fast(TinyModels.averagePool(2)).withMaxIterations(600)
        .withTimeBudget(Duration.ofSeconds(60));

    FineTuneResult same = run(o, y, 1f);
    assertEquals(bicubic, same.startRecord().lrPsnr(), 1e-3, "w = 1 is bicubic");
    assertEquals(o.schedule(), same.plan().schedule(), same.plan().howSpent());
    assertTrue(same.plan().howSpent().contains("as it is"), same.plan().howSpent());

    FineTuneResult far = run(o, y, 0.5f);
    String how = far.plan().howSpent();
    assertTrue(bicubic - far.startRecord().lrPsnr() > 3.01, how);
    assertTrue(how.contains(String.format(Locale.ROOT, "LR-PSNR %.2f against %.2f dB",
        far.startRecord().lrPsnr(), bicubic)), how);
    LearningRateSchedule.Cosine c = (LearningRateSchedule.Cosine) far.plan().schedule();
    assertEquals(600, c.period(), how);
    assertEquals(Schedules.FAST_LEARNING_RATE, c.base(), 1e-15);
  }

  private static FineTuneResult run(FineTuneOptions o, RgbImage y, float w0) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = TinyModels.input(tf);
      Operand<TFloat32> w = tf.withName("w").variable(tf.constant(w0));
      Operand<TFloat32> sr = tf.withName(SrSignature.OUTPUT).identity(
          tf.math.mul(new BicubicUpsampler(2, Boundary.REPLICATE).apply(tf, lr), w));
      s.initialize();
      try (FineTuner t = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o)) {
        return t.run(y, IterationListener.none());
      }
    }
  }

  private static RgbImage averagePool2(RgbImage x) {
    int h = x.height() / 2;
    int w = x.width() / 2;
    float[] d = new float[h * w * 3];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < w; j++) {
        for (int c = 0; c < 3; c++) {
          d[(i * w + j) * 3 + c] = (x.get(2 * i, 2 * j, c) + x.get(2 * i + 1, 2 * j, c) + x.get(2 * i, 2 * j + 1, c)
              + x.get(2 * i + 1, 2 * j + 1, c)) / 4;
        }
      }
    }
    return new RgbImage(h, w, d);
  }

  private static double mse(RgbImage a, RgbImage b) {
    double s = 0;
    for (int i = 0; i < a.data().length; i++) {
      double d = (double) a.data()[i] - b.data()[i];
      s += d * d;
    }
    return s / a.data().length;
  }
}
