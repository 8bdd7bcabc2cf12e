package dev.srtune.report;

import dev.srtune.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The checks every command makes before any work, so that a bad output location fails in seconds with one sentence
 * and no output ever replaces an input.
 *
 * <p>A command names what it will write ({@link #folder}, {@link #file}, {@link #savedModel}) and what it reads
 * ({@link #reads}); {@link #check()} then refuses, in this order: an output location that is a file where a folder is
 * needed (or the reverse), a location under a file, a location nothing can be written in (the probe creates and
 * deletes one empty file, so it sees read-only mounts and immutable folders that permission bits do not show), a
 * SavedModel target that is a non-empty folder other than a SavedModel (it would be replaced whole), and any output
 * that is, contains or would replace an input. Nothing is created by the checks themselves.
 */
public final class Outputs {
  private record Target(Path path, String option, Kind kind, List<String> names) {}

  private enum Kind { FOLDER, FILE, SAVED_MODEL }

  private final List<Target> targets = new ArrayList<>();
  private final Map<Path, String> inputs = new LinkedHashMap<>();

  /** An output folder the command writes {@code names} into (relative paths; a name ending in '/' is a subtree). */
  public Outputs folder(Path dir, String option, String... names) {
    if (dir != null) {
      targets.add(new Target(abs(dir), option, Kind.FOLDER, List.of(names)));
    }
    return this;
  }

  /** One output file. */
  public Outputs file(Path file, String option) {
    if (file != null) {
      targets.add(new Target(abs(file), option, Kind.FILE, List.of()));
    }
    return this;
  }

  /** A SavedModel folder the command writes whole (replacing a previous SavedModel there). */
  public Outputs savedModel(Path dir, String option) {
    if (dir != null) {
      targets.add(new Target(abs(dir), option, Kind.SAVED_MODEL, List.of()));
    }
    return this;
  }

  /** A file or folder the command reads; no output may be, contain or replace it. */
  public Outputs reads(Path path, String option) {
    if (path != null) {
      inputs.put(abs(path), option);
    }
    return this;
  }

  /** Runs every check; throws a {@link UserInputException} naming the option and what to do. */
  public void check() {
    for (Target t : targets) {
      checkLocation(t);
    }
    for (Target whole : targets) {
      for (Target t : targets) {
        if (whole != t && whole.kind() == Kind.SAVED_MODEL && (same(whole.path(), t.path())
            || isUnder(t.path(), whole.path()))) {
          throw new UserInputException(whole.option() + " " + whole.path() + " would be replaced whole, and "
              + t.option() + " " + t.path() + " is in it; give them separate folders.");
        }
      }
    }
    for (Target t : targets) {
      for (Map.Entry<Path, String> in : inputs.entrySet()) {
        checkNotReplacing(t, in.getKey(), in.getValue());
      }
    }
  }

  private static void checkLocation(Target t) {
    Path p = t.path();
    if (t.kind() == Kind.FILE) {
      if (Files.isDirectory(p)) {
        throw new UserInputException(t.option() + " " + p + " is a folder; give the path of the file to write.");
      }
    } else if (Files.exists(p) && !Files.isDirectory(p)) {
      throw new UserInputException(t.option() + " " + p + " is a file, not a folder; choose a folder path.");
    }
    Path existing = t.kind() == Kind.FILE ? p.getParent() : p;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw new UserInputException(t.option() + " " + p + " has no existing parent folder; choose another path.");
    }
    if (!Files.isDirectory(existing)) {
      throw new UserInputException(t.option() + " " + p + " lies under the file " + existing
          + ", which cannot hold a folder; choose another path.");
    }
    Path probe = existing.resolve(".srtune-write-check-" + UUID.randomUUID());
    try {
      Files.createFile(probe);
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
          : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
          : String.valueOf(e.getMessage());
      throw new UserInputException("Cannot write in " + existing + " (" + why + "), so " + t.option() + " " + p
          + " cannot be written; choose a writable path.");
    }
    if (t.kind() == Kind.SAVED_MODEL && Files.isDirectory(p) && !Files.exists(p.resolve("saved_model.pb"))
        && !isEmpty(p)) {
      throw new UserInputException(t.option() + " " + p + " is a folder with files but no SavedModel, and it would be "
          + "replaced whole; give a new or empty folder.");
    }
  }

  private static void checkNotReplacing(Target t, Path input, String inputOption) {
    Path out = t.path();
    String clash = null;
    switch (t.kind()) {
      case FILE -> {
        if (same(out, input)) {
          clash = "is";
        }
      }
      case SAVED_MODEL -> {
        if (same(out, input) || isUnder(input, out)) {
          clash = "is or contains";
        }
      }
      case FOLDER -> {
        for (String name : t.names()) {
          Path written = out.resolve(name.endsWith("/") ? name.substring(0, name.length() - 1) : name).normalize();
          if (same(written, input) || (name.endsWith("/") && isUnder(input, written))) {
            clash = "would write over";
            break;
          }
        }
      }
    }
    if (clash != null) {
      throw new UserInputException(t.option() + " " + out + " " + clash + " the " + inputOption + " " + input
          + ", which srtune never overwrites; choose another " + t.option() + ".");
    }
  }

  private static boolean isUnder(Path p, Path dir) {
    if (p.normalize().startsWith(dir.normalize())) {
      return true;
    }
    try {
      Path realDir = dir.toRealPath();
      for (Path q = p.toRealPath(); q != null; q = q.getParent()) {
        if (q.equals(realDir)) {
          return true;
        }
      }
    } catch (IOException e) {
      // one of them does not exist (yet): the normalized comparison above is all there is
    }
    return false;
  }

  private static boolean same(Path a, Path b) {
    if (a.normalize().equals(b.normalize())) {
      return true;
    }
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static Path abs(Path p) {
    return p.toAbsolutePath().normalize();
  }
}
