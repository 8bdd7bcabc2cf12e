import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code mvn -q exec:java} runs: Maven does not compile before a plugin goal called on its own, so this
 * single-file program (run by the JDK's source launcher) compiles the project with Maven when its classes are
 * missing or older than its sources, then starts {@code dev.srtune.cli.Main} on the classpath exec:java built.
 */
public final class MavenLauncher {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("srtune.home", ".")).toAbsolutePath();
    if (stale(root)) {
      String mvn = System.getProperty("maven.home") != null
          ? Path.of(System.getProperty("maven.home"), "bin", "mvn").toString() : "mvn";
      Process p = new ProcessBuilder(mvn, "-q", "-B", "-f", root.resolve("pom.xml").toString(), "compile")
          .inheritIO().start();
      if (p.waitFor() != 0) {
        System.err.println("srtune: compiling the project failed; run 'mvn compile' to see why.");
        System.exit(1);
      }
    }
    // exec:java leaves out target/classes when it did not exist yet: add it in front of the dependencies.
    ClassLoader deps = Thread.currentThread().getContextClassLoader();
    ClassLoader project = new java.net.URLClassLoader(
        new java.net.URL[] {root.resolve("target/classes").toUri().toURL()}, deps);
    Thread.currentThread().setContextClassLoader(project);
    try {
      Class.forName("dev.srtune.cli.Main", true, project).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** True when target/classes is missing or a source or resource is newer than the newest class. */
  static boolean stale(Path root) throws IOException {
    Path classes = root.resolve("target/classes/dev/srtune/cli/Main.class");
    if (!Files.exists(classes)) {
      return true;
    }
    long built = Files.getLastModifiedTime(classes).toMillis();
    List<Path> sources = new ArrayList<>(List.of(root.resolve("src/main"), root.resolve("graph-builders")));
    for (Path dir : sources) {
      try (Stream<Path> s = Files.walk(dir)) {
        if (s.filter(Files::isRegularFile).anyMatch(f -> f.toFile().lastModified() > built)) {
          return true;
        }
      }
    }
    return new File(root.toFile(), "pom.xml").lastModified() > built;
  }
}
