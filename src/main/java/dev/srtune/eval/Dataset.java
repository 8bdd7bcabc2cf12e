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

/** The images of a dataset folder: PNG and JPEG files, in name order, optionally a named subset. */
public final class Dataset {
  private Dataset() {}

  /** One image: its name (file name without extension) and file. */
  public record Entry(String name, Path file) {}

  public static List<Entry> list(Path dir, List<String> only) throws IOException {
    return list(dir, only, "Dataset folder", "HR");
  }

  /** As {@link #list(Path, List)}; {@code folder} and {@code kind} name them in messages ("Input folder", "LR"). */
  public static List<Entry> list(Path dir, List<String> only, String folder, String kind) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new UserInputException(folder + " " + dir + " does not exist; pass a folder of " + kind + " PNG or JPEG images.");
    }
    Map<String, Entry> all = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String file = f.getFileName().toString();
        String name = imageName(file);
        if (Files.isRegularFile(f) && name != null) {
          Entry before = all.put(name, new Entry(name, f));
          if (before != null) {
            throw new UserInputException(folder + " " + dir + " holds both " + before.file().getFileName() + " and "
                + file + ", which would write to one output; rename or move one of them.");
          }
        }
      }
    }
    if (all.isEmpty()) {
      throw new UserInputException(folder + " " + dir + " holds no PNG or JPEG images; pass a folder of " + kind
          + " PNG or JPEG images.");
    }
    if (only.isEmpty()) {
      return List.copyOf(all.values());
    }
    List<Entry> chosen = new ArrayList<>();
    for (String n : only) {
      String key = java.util.Objects.requireNonNullElse(imageName(n), n);
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

  /** The name of an image file ({@code .png}, {@code .jpg}, {@code .jpeg}, any case) without extension, else null. */
  static String imageName(String file) {
    String lower = file.toLowerCase(Locale.ROOT);
    for (String ext : new String[] {".png", ".jpg", ".jpeg"}) {
      if (lower.endsWith(ext) && lower.length() > ext.length()) {
        return file.substring(0, file.length() - ext.length());
      }
    }
    return null;
  }
}
