package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.cli.EvalCommandTest.Run;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --engine spark} killed (SIGKILL, a child JVM) once its first image is finished, then run again: the
 * finished image is not recomputed, the half-done ones are, and the tables hold every image once, equal to an
 * uninterrupted {@code --engine local} run. Tagged slow: two JVMs with Spark and a few hundred iterations.
 */
@Tag("slow")
class SparkKillResumeTest {
  @TempDir Path tmp;

  @Test
  void aKilledRunResumesWithoutLossOrDuplicates() throws Exception {
    Path model = TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
    Path dataset = Files.createDirectories(tmp.resolve("data"));
    List<String> names = List.of("a", "b", "c", "d");
    Random r = new Random(11);
    for (String name : names) {
      float[] d = new float[40 * 40 * 3];
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) Math.min(1, Math.max(0, 0.5 + 0.25 * Math.sin(i / 13.0) + 0.1 * r.nextGaussian()));
      }
      ImageFiles.writePng(new RgbImage(40, 40, d), dataset.resolve(name + ".png"));
    }
    Path out = tmp.resolve("out");
    List<String> args = List.of("eval", "--model", model.toString(), "--dataset", dataset.toString(), "--scale",
        "2", "--schedule", "paper", "--max-iters", "300", "--stop", "none", "--lpips", "none", "--out",
        out.toString(), "--engine", "spark");

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // heap, JavaCPP cache, Spark's opens
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.srtune.cli.Main"));
    cmd.addAll(args);
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("child.log").toFile()).start();
    String first = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (first == null && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      for (String n : names) {
        if (Files.exists(out.resolve("images").resolve(n).resolve("result.json"))) {
          first = n;
        }
      }
    }
    child.destroyForcibly().waitFor();
    assertTrue(first != null, "no image finished before the kill: " + Files.readString(tmp.resolve("child.log")));
    assertFalse(Files.exists(out.resolve("results.csv")), "killed before the tables: the test needs a slower run");
    long finished;
    try (Stream<String> s = names.stream()) {
      finished = s.filter(n -> Files.exists(out.resolve("images").resolve(n).resolve("result.json"))).count();
    }
    assertTrue(finished < names.size(), "every image finished before the kill");
    FileTime firstTime = Files.getLastModifiedTime(out.resolve("images").resolve(first).resolve("result.json"));

    Run resumed = EvalCommandTest.run(args.toArray(String[]::new));
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("4 of 4 images finished (" + (names.size() - finished) + " fine-tuned now)"),
        resumed.out());
    assertEquals(firstTime, Files.getLastModifiedTime(out.resolve("images").resolve(first).resolve("result.json")),
        first + " was recomputed");

    Path local = tmp.resolve("local");
    List<String> localArgs = new ArrayList<>(args.subList(0, args.size() - 4));
    localArgs.addAll(List.of("--out", local.toString()));
    Run l = SparkEngineTest.localWithOneThread(localArgs.toArray(String[]::new));
    assertEquals(0, l.code(), l.err());
    Map<String, List<String>> expected = SparkEngineTest.rows(local.resolve("results.csv"), "seconds");
    assertEquals(names, List.copyOf(expected.keySet()));
    assertEquals(expected, SparkEngineTest.rows(out.resolve("results.csv"), "seconds"));
  }
}
