package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.graph.degradation.Degradations;
import dev.srtune.graph.lpips.LpipsNet;
import dev.srtune.graph.lpips.LpipsWeights;
import dev.srtune.graph.torch.TorchStateDictReader;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Shared;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The loop with LR-LPIPS recorded every iteration and the paper's LPIPS stop rule, on a toy ×2 network. */
@Tag("integration")
class LrLpipsStopRuleTest {

  @Test
  void lrLpipsIsRecordedAndStopsTheLoop() throws Exception {
    LpipsWeights w = LpipsWeights.from(LpipsNet.SQUEEZE,
        TorchStateDictReader.read(Shared.path("models/lpips/squeezenet1_1-features.pth")),
        TorchStateDictReader.read(Shared.path("models/lpips/linear_v0.1/squeeze.pth")));
    RgbImage y = Shared.referenceImage("lpips/crop48_clean.npy");
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      // sr = depth_to_space(conv3x3(lr, W), 2): a tiny trainable x2 network starting near "nearest neighbour".
      float[] init = new float[3 * 3 * 3 * 12];
      Random rnd = new Random(1);
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < 4; k++) {
          init[((1 * 3 + 1) * 3 + c) * 12 + c * 4 + k] = 1f; // centre tap, channel c → its 4 sub-pixels
        }
      }
      for (int i = 0; i < init.length; i++) {
        init[i] += (float) (rnd.nextGaussian() * 0.05);
      }
      Operand<TFloat32> kernel = tf.variable(tf.constant(Shape.of(3, 3, 3, 12), DataBuffers.of(init, true, false)));
      Operand<TFloat32> sr = tf.nn.depthToSpace(
          tf.nn.conv2d(lr, tf.identity(kernel), List.of(1L, 1L, 1L, 1L), "SAME"), 2L);
      s.initialize();
      FineTuneOptions o = FineTuneOptions.defaults(Degradations.downsampler("bicubic", 2)).withMaxIterations(200)
          .withStopRule(PlateauStopRule.lrLpips(1.0, 5)).withExtraMetrics(List.of(new LrLpips(w)));
      try (FineTuner t = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o)) {
        FineTuneResult r = t.run(y, IterationListener.none());
        // δ = 1 is never beaten, so the rule fires as soon as it has a window and something before it: on the
        // measurement of ψ_5, which the run ends with (the step taken with that measurement undone).
        assertEquals("lr_lpips_plateau", r.stopReason());
        assertEquals(5, r.iterations());
        assertEquals(5, r.finalRecord().iteration());
        for (IterationRecord rec : r.curve()) {
          double v = rec.metric(LrLpips.NAME);
          assertTrue(v > 0 && v < 1, "lr_lpips " + v);
        }
        System.out.printf("toy x2: lr_lpips %.5f -> %.5f, lr_psnr %.3f -> %.3f%n", r.startRecord().metric("lr_lpips"),
            r.finalRecord().metric("lr_lpips"), r.startRecord().lrPsnr(), r.finalRecord().lrPsnr());
      }
    }
  }
}
