package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Photo-size images are measured on fixed windows: with sr = w · nearest_up(y) and A = average pooling, A f(y) =
 * w·y, so the LR MSE the loop records is (w − 1)² times the mean of y² over the windows' insides, computed here.
 */
class MeasurementWindowsTest {

  @Test
  void windowsSpreadOverTheImageOnTheGrid() {
    assertNull(MeasurementWindows.forImage(512, 512, 1), "a 512x512 LR is still measured whole");
    MeasurementWindows w = MeasurementWindows.forImage(900, 1200, 16);
    assertEquals(9, w.windows().size());
    for (Window win : w.windows()) {
      assertEquals(0, win.top() % 16);
      assertEquals(0, win.left() % 16);
      assertTrue(win.top() + win.height() <= 900 && win.left() + win.width() <= 1200, win.toString());
    }
    assertEquals(0, w.windows().get(0).top());
    assertTrue(w.windows().get(8).top() + MeasurementWindows.SIDE > 900 - 16, "the last row reaches the bottom");
  }

  @Test
  void theRecordedMseIsThatOfTheWindows() {
    RgbImage y = FineTunerTest.image(520, 530, 7);
    float w0 = 0.8f;
    FineTuneOptions o = FineTuneOptions.paper(TinyModels.averagePool(2)).withMaxIterations(0);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> lr = TinyModels.input(tf);
      Operand<TFloat32> sr = TinyModels.scalarRef(tf, lr, 2, w0);
      s.initialize();
      try (FineTuner t = FineTuner.attach(g, s, lr.output(), sr.asOutput(), o)) {
        IterationRecord r = t.evaluate(y, 0, 0);
        List<Window> windows = MeasurementWindows.forImage(520, 530, 1).windows();
        double sum = 0;
        long n = 0;
        int m = MeasurementWindows.MARGIN;
        for (Window win : windows) {
          for (int i = win.top() + m; i < win.top() + win.height() - m; i++) {
            for (int j = win.left() + m; j < win.left() + win.width() - m; j++) {
              for (int c = 0; c < 3; c++) {
                double v = y.get(i, j, c);
                sum += v * v;
                n++;
              }
            }
          }
        }
        double expected = (w0 - 1) * (w0 - 1) * sum / n;
        assertEquals(expected, r.loss(), 1e-5 * expected);
        assertTrue(t.wholeImagePasses().contains("9 fixed 96x96 windows"), t.wholeImagePasses());
      }
    }
  }
}
