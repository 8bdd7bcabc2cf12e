package dev.srtune.tune;

import java.util.List;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * One LR window an iteration trains on, in LR pixels of the whole image. A {@link Sampler} says which windows an
 * iteration sees; anything defined per LR pixel (the image itself, a loss mask) is cut with the same windows by
 * {@link #stack}, so the two always line up.
 */
public record Window(int top, int left, int height, int width) {

  public Window {
    if (top < 0 || left < 0 || height < 1 || width < 1) {
      throw new IllegalArgumentException("bad window " + top + "," + left + " " + height + "x" + width);
    }
  }

  /** The whole h×w image. */
  public static Window whole(int h, int w) {
    return new Window(0, 0, h, w);
  }

  /**
   * The windows of a row-major H×W plane with {@code channels} values per pixel, as one batch
   * [B,height,width,channels] (all windows have one size); the caller closes it.
   */
  public static TFloat32 stack(float[] plane, int h, int w, int channels, List<Window> windows) {
    Window first = windows.get(0);
    int wh = first.height();
    int ww = first.width();
    float[] out = new float[windows.size() * wh * ww * channels];
    for (int b = 0; b < windows.size(); b++) {
      Window win = windows.get(b);
      if (win.height() != wh || win.width() != ww || win.top() + wh > h || win.left() + ww > w) {
        throw new IllegalArgumentException("window " + win + " does not fit a " + h + "x" + w + " plane or differs "
            + "in size from " + first);
      }
      for (int r = 0; r < wh; r++) {
        System.arraycopy(plane, ((win.top() + r) * w + win.left()) * channels, out, ((b * wh + r) * ww) * channels,
            ww * channels);
      }
    }
    return TFloat32.tensorOf(Shape.of(windows.size(), wh, ww, channels), DataBuffers.of(out, true, false));
  }
}
