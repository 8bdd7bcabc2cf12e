package dev.srtune.degrade;

import dev.srtune.UserInputException;
import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.graph.degradation.KernelSource;
import dev.srtune.image.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kernel of a {@code kernel:FILE} blur: a 2-D {@code .npy} float array, or a plain-text matrix (one row
 * per line, values separated by spaces, tabs or commas; blank lines and lines starting with # are skipped).
 * The graph builders get the values, never the file.
 */
public final class KernelFiles implements KernelSource {
  public static final KernelFiles INSTANCE = new KernelFiles();

  private KernelFiles() {}

  @Override
  public BlurKernel read(String location) {
    Path path = Path.of(location);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("kernel file " + location + " does not exist");
    }
    try {
      return location.toLowerCase(java.util.Locale.ROOT).endsWith(".npy") ? readNpy(path, location)
          : readText(path, location);
    } catch (UserInputException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static BlurKernel readNpy(Path path, String location) {
    Npy.Array a = Npy.read(path);
    if (a.shape().length != 2) {
      throw new IllegalArgumentException(location + " holds an array of rank " + a.shape().length
          + "; save the kernel as a 2-D array");
    }
    double[] v = new double[a.data().length];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.data()[i];
    }
    return new BlurKernel("kernel:" + location, a.dim(0), a.dim(1), v);
  }

  private static BlurKernel readText(Path path, String location) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + location + " as text (" + e.getMessage() + ")");
    }
    List<double[]> rows = new ArrayList<>();
    for (String line : lines) {
      String t = line.trim();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] cells = t.split("[\\s,]+");
      double[] row = new double[cells.length];
      for (int j = 0; j < cells.length; j++) {
        try {
          row[j] = Double.parseDouble(cells[j]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(location + " holds '" + cells[j] + "', which is not a number");
        }
      }
      if (!rows.isEmpty() && row.length != rows.get(0).length) {
        throw new IllegalArgumentException(location + " has rows of different lengths");
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(location + " holds no numbers");
    }
    int h = rows.size();
    int w = rows.get(0).length;
    double[] v = new double[h * w];
    for (int i = 0; i < h; i++) {
      System.arraycopy(rows.get(i), 0, v, i * w, w);
    }
    return new BlurKernel("kernel:" + location, h, w, v);
  }
}
