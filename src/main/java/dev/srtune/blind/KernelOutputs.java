package dev.srtune.blind;

import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of a blur kernel: {@code NAME.npy} (2-D float32, what {@code --blur kernel:NAME.npy} reads back) and
 * {@code NAME.png} (a picture: each tap a {@value #TAP_PIXELS}-pixel square, white at the largest tap, black at 0),
 * both written atomically.
 */
public final class KernelOutputs {
  /** Side of one tap in the picture. */
  public static final int TAP_PIXELS = 16;

  private KernelOutputs() {}

  /** {@code name.png} next to {@code npy} (its extension replaced). */
  public static Path picturePath(Path npy) {
    return sibling(npy, ".png");
  }

  /** {@code name.json} next to {@code npy}. */
  public static Path jsonPath(Path npy) {
    return sibling(npy, ".json");
  }

  private static Path sibling(Path npy, String ext) {
    String n = npy.getFileName().toString();
    String base = n.toLowerCase(java.util.Locale.ROOT).endsWith(".npy") ? n.substring(0, n.length() - 4) : n;
    return npy.resolveSibling(base + ext);
  }

  /** Writes the .npy and its picture. */
  public static void write(BlurKernel k, Path npy) throws IOException {
    double[] v = k.values();
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    Npy.write(npy, new int[] {k.height(), k.width()}, f);
    ImageFiles.writePng(picture(k), picturePath(npy));
  }

  /** The kernel as a grey picture, normalised to its largest tap. */
  public static RgbImage picture(BlurKernel k) {
    double max = 0;
    for (double x : k.values()) {
      max = Math.max(max, x);
    }
    int h = k.height() * TAP_PIXELS;
    int w = k.width() * TAP_PIXELS;
    float[] d = new float[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float g = max > 0 ? (float) Math.max(0, k.at(y / TAP_PIXELS, x / TAP_PIXELS) / max) : 0;
        int o = (y * w + x) * 3;
        d[o] = g;
        d[o + 1] = g;
        d[o + 2] = g;
      }
    }
    return new RgbImage(h, w, d);
  }

  /** What report.json records of a kernel written to {@code npy}: files, size, centre of mass, second moments. */
  public static Map<String, Object> describe(BlurKernel k, Path npy) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("npy", npy.getFileName().toString());
    m.put("png", picturePath(npy).getFileName().toString());
    m.put("size", new int[] {k.height(), k.width()});
    double[] mom = KernelError.moments(k);
    m.put("centre_of_mass_offset", new double[] {round(mom[0]), round(mom[1])});
    m.put("covariance_yy_xy_xx", new double[] {round(mom[2]), round(mom[3]), round(mom[4])});
    return m;
  }

  static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
