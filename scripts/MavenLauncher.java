import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code mvn -q exec:java} runs: Maven does not compile before a plugin goal called on its own, so this
 * single-file program (run by the JDK's source launcher) compiles the project with Maven when its classes are
 * missing or older than its sources, then starts {@code dev.srtune.cli.Main} on the classpath exec:java built.
 *
 * <p>TensorFlow reads {@code TF_ENABLE_ONEDNN_OPTS} once, when its native library loads, and a running JVM cannot
 * set its own environment. So when the variable is not set, Main runs in a child JVM (this java, the same
 * classpath and system properties) with {@code TF_ENABLE_ONEDNN_OPTS=1}, as {@code scripts/srtune} does: without
 * it, on CPUs without AVX512_VNNI/AVX512_BF16/AVX_VNNI/AMX, the gradient convolutions run as plain kernels and a
 * fine-tuning iteration is 2-6x slower. Maven then exits with the child's exit code. The child also gets
 * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=1}: without it every TensorFlow session of a JVM shares one intra-op pool,
 * sized by the first session, so Spark tasks side by side would share one task's cores. When both variables are
 * set (a user's 0 included), Main runs inside Maven's JVM as before.
 */
public final class MavenLauncher {
  static final String ONEDNN = "TF_ENABLE_ONEDNN_OPTS";
  static final String OWN_POOLS = "TF_OVERRIDE_GLOBAL_THREADPOOL";

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
    String onednn = System.getenv(ONEDNN);
    String pools = System.getenv(OWN_POOLS);
    if (onednn == null || onednn.isEmpty() || pools == null || pools.isEmpty()) {
      System.exit(runInChildJvm(root, args));
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

  /**
   * Runs Main in a child JVM with oneDNN on and TensorFlow's info lines off (unless the user set
   * TF_CPP_MIN_LOG_LEVEL), heap from SRTUNE_JAVA_OPTS (default -Xmx8g) as scripts/srtune does; returns its exit code.
   */
  static int runInChildJvm(Path root, String[] args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String opts = System.getenv("SRTUNE_JAVA_OPTS");
    cmd.addAll(opts == null || opts.isBlank() ? List.of("-Xmx8g") : List.of(opts.trim().split("\\s+")));
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cache != null) {
      cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
    }
    cmd.add("-Dsrtune.home=" + root);
    // What Spark needs opened on Java 17 (--engine spark), one option a line.
    Path sparkOptions = root.resolve("scripts/spark-java-options");
    if (Files.isRegularFile(sparkOptions)) {
      Files.readAllLines(sparkOptions).stream().map(String::trim).filter(l -> !l.isEmpty()).forEach(cmd::add);
    }
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, classpath(root)));
    cmd.add("dev.srtune.cli.Main");
    cmd.addAll(List.of(args));
    // TensorFlow's native log lines (absl, straight to descriptor 2) go to tensorflow.log next to srtune.log; the
    // child's own messages reach this JVM's standard error through /proc (dev.srtune.cli.NativeConsole).
    Path console = Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd", "2");
    Path nativeLog = Path.of(System.getProperty("user.home"), ".cache", "srtune", "tensorflow.log");
    boolean quiet = Files.exists(console);
    if (quiet) {
      Files.createDirectories(nativeLog.getParent());
      cmd.add(cmd.indexOf("-cp"), "-Dsrtune.console=" + console);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    if (quiet) {
      pb.redirectError(ProcessBuilder.Redirect.appendTo(nativeLog.toFile()));
    }
    pb.environment().putIfAbsent(ONEDNN, "1");
    pb.environment().putIfAbsent(OWN_POOLS, "1");
    pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    Process child = pb.start();
    // Maven stopped (Ctrl-C, kill): stop the child too. A no-op once it has exited.
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
    int code = child.waitFor();
    if (quiet && code == 134) { // an abort inside TensorFlow leaves its reason only in the native log
      List<String> lines = Files.readAllLines(nativeLog, java.nio.charset.StandardCharsets.ISO_8859_1);
      String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
      System.err.println("srtune: TensorFlow stopped the program: " + last + " (in " + nativeLog + ")");
    }
    return code;
  }

  /** target/classes, then every URL of exec:java's class loader chain (the project's dependencies). */
  static List<String> classpath(Path root) {
    Set<String> entries = new LinkedHashSet<>();
    entries.add(root.resolve("target/classes").toString());
    for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (URISyntaxException | IllegalArgumentException e) {
            entries.add(url.getPath());
          }
        }
      }
    }
    return new ArrayList<>(entries);
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
