package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.UserInputException;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Issue 10: the whole-image passes of a run (f(y) at the start and end, the LR measurements) give the same numbers
 * tile by tile as at once, and a whole-image training step that cannot fit is refused before any work.
 */
class TiledPassesTest {
  static final int SIZE = 40;

  record Outcome(FineTuneResult result, RgbImage after) {}

  static Outcome run(FineTuneOptions o, RgbImage y) {
    return run(o, WholeImagePasses.AUTO, y);
  }

  static Outcome run(FineTuneOptions o, WholeImagePasses passes, RgbImage y) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = TinyModels.input(tf);
      Operand<TFloat32> sr = TinyModels.smallConv(tf, lr, 2, 7);
      s.initialize();
      try (FineTuner t = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o, passes)) {
        FineTuneResult r = t.run(y, IterationListener.none());
        return new Outcome(r, t.superResolve(y));
      }
    }
  }

  static double maxDiff(RgbImage a, RgbImage b) {
    double m = 0;
    for (int i = 0; i < a.data().length; i++) {
      m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
    }
    return m;
  }

  @Test
  void tiledPassesMatchWholeImagePasses() {
    RgbImage y = FineTunerTest.image(SIZE, SIZE, 11);
    FineTuneOptions base = Schedules.fast(Degradations.operator(null, "bicubic", 2, null)).withMaxIterations(12)
        .withSampler(Sampler.parse("crops:16x2,seed=3"), 4).withStopRule(StopRule.none());
    Outcome whole = run(base, y);
    Outcome tiled = run(base, new WholeImagePasses(16, 0), y);
    assertEquals(List.of(0, 4, 8, 12), tiled.result().curve().stream().map(IterationRecord::iteration).toList());
    for (int i = 0; i < whole.result().curve().size(); i++) {
      assertEquals(whole.result().curve().get(i).lrPsnr(), tiled.result().curve().get(i).lrPsnr(), 1e-3,
          "LR-PSNR at measurement " + i);
    }
    double start = maxDiff(whole.result().start(), tiled.result().start());
    double end = maxDiff(whole.result().result(), tiled.result().result());
    assertTrue(start < 1e-5 && end < 1e-5, "tiled vs whole: start " + start + ", end " + end);
    assertTrue(maxDiff(whole.after(), tiled.after()) < 1e-5);
  }

  @Test
  void aWholeImageStepThatDoesNotFitIsRefusedBeforeAnyWork() {
    RgbImage y = FineTunerTest.image(SIZE, SIZE, 12);
    FineTuneOptions paper = FineTuneOptions.paper(Degradations.operator(null, "bicubic", 2, null))
        .withMaxIterations(5);
    UserInputException e = assertThrows(UserInputException.class,
        () -> run(paper, new WholeImagePasses(0, 50_000), y));
    assertTrue(e.getMessage().contains("does not fit") || e.getMessage().contains("smallest tiles"), e.getMessage());
  }
}
