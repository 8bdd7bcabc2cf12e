package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java 17 options Spark needs are one list, {@code scripts/spark-java-options}, repeated where a file cannot be
 * read: surefire's argLine (pom.xml, checked here on this very JVM) and {@code .mvn/jvm.config} (mvn exec:java in
 * Maven's JVM). scripts/srtune and the exec:java child JVM read the file itself.
 */
class SparkJavaOptionsTest {
  static List<String> options() throws Exception {
    return Files.readAllLines(Path.of("scripts/spark-java-options")).stream().map(String::trim)
        .filter(l -> !l.isEmpty()).toList();
  }

  @Test
  void everyLauncherOpensWhatSparkNeeds() throws Exception {
    List<String> options = options();
    assertFalse(options.isEmpty());
    List<String> jvmConfig = Files.readAllLines(Path.of(".mvn/jvm.config")).stream().map(String::trim).toList();
    List<String> thisJvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
    String launcher = Files.readString(Path.of("scripts/srtune"));
    String mavenLauncher = Files.readString(Path.of("scripts/MavenLauncher.java"));
    for (String o : options) {
      assertTrue(jvmConfig.contains(o), ".mvn/jvm.config lacks " + o);
      assertTrue(thisJvm.contains(o), "surefire's argLine lacks " + o + ": " + thisJvm);
    }
    assertTrue(launcher.contains("scripts/spark-java-options"), "scripts/srtune reads the list");
    assertTrue(mavenLauncher.contains("scripts/spark-java-options"), "the exec:java child JVM reads the list");
  }
}
