package dev.srtune.eval;

import dev.srtune.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The HR images of a dataset folder: PNG files, in name order, optionally a named subset. */
public final class Dataset {
  private Dataset() {}

  /** One HR image: its name (file name without extension) and file. */
  public record Entry(String name, Path file) {}

  public static List<Entry> list(Path dir, List<String> only) throws IOException {
    return list(dir, only, "Dataset folder", "HR");
  }

  /** As {@link #list(Path, List)}; {@code folder} and {@code kind} name them in messages ("Input folder", "LR"). */
  public static List<Entry> list(Path dir, List<String> only, String folder, String kind) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new UserInputException(folder + " " + dir + " does not exist; pass a folder of " + kind + " PNG images.");
    }
    Map<String, Entry> all = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String file = f.getFileName().toString();
        if (Files.isRegularFile(f) && file.toLowerCase(Locale.ROOT).endsWith(".png")) {
          all.put(file.substring(0, file.length() - 4), new Entry(file.substring(0, file.length() - 4), f));
        }
      }
    }
    if (all.isEmpty()) {
      throw new UserInputException(folder + " " + dir + " holds no PNG images; pass a folder of " + kind
          + " PNG images.");
    }
    if (only.isEmpty()) {
      return List.copyOf(all.values());
    }
    List<Entry> chosen = new ArrayList<>();
    for (String n : only) {
      String key = n.toLowerCase(Locale.ROOT).endsWith(".png") ? n.substring(0, n.length() - 4) : n;
      Entry e = all.get(key);
      if (e == null) {
        throw new UserInputException("--images names '" + n + "', which is not in " + dir + "; it has "
            + String.join(", ", all.keySet()) + ".");
      }
      if (!chosen.contains(e)) {
        chosen.add(e);
      }
    }
    return List.copyOf(chosen);
  }
}
