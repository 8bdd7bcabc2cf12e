package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.cli.EvalCommandTest.Run;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.model.SessionConfig;
import dev.srtune.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval} and {@code tune --input-dir} with {@code --engine spark} (embedded local[cores]) on a tiny model:
 * the same files as {@code --engine local} with the same TensorFlow threads, a corrupt PNG recorded while the rest
 * finish, and a rerun that recomputes nothing and duplicates nothing.
 */
class SparkEngineTest {
  @TempDir static Path tmp;
  static Path model;
  static Path dataset;
  static final List<String> GOOD = List.of("one", "three", "two");

  @BeforeAll
  static void setUp() throws Exception {
    model = TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
    dataset = Files.createDirectories(tmp.resolve("data"));
    Random r = new Random(7);
    for (String name : GOOD) {
      float[] d = new float[32 * 36 * 3];
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) Math.min(1, Math.max(0, 0.5 + 0.25 * Math.sin(i / 17.0) + 0.1 * r.nextGaussian()));
      }
      ImageFiles.writePng(new RgbImage(32, 36, d), dataset.resolve(name + ".png"));
    }
    // A PNG signature and then nothing a decoder can read.
    Files.write(dataset.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3});
  }

  static String[] evalArgs(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("eval", "--model", model.toString(), "--dataset", dataset.toString(),
        "--scale", "2", "--schedule", "paper", "--max-iters", "6", "--stop", "none", "--lpips", "none",
        "--out", out.toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /** The local engine with one intra-op thread, as each Spark task gets here (2 cores, 4 images). */
  static Run localWithOneThread(String... args) throws Exception {
    return SessionConfig.withIntraOpThreads(1, () -> EvalCommandTest.run(args));
  }

  /** A CSV's rows keyed by their first cell, without the columns named in {@code drop}. */
  static Map<String, List<String>> rows(Path csv, String... drop) throws Exception {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<String> header = List.of(lines.get(0).split(","));
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
      assertEquals(header.size(), cells.size(), line);
      List<String> kept = new ArrayList<>();
      for (int i = 0; i < cells.size(); i++) {
        if (!List.of(drop).contains(header.get(i))) {
          kept.add(cells.get(i));
        }
      }
      assertFalse(m.containsKey(cells.get(0)), "duplicate row " + cells.get(0));
      m.put(cells.get(0), kept);
    }
    return m;
  }

  @Test
  void evalOnSparkGivesTheLocalTablesAndReportsTheBadImage() throws Exception {
    Path local = tmp.resolve("eval-local");
    Path spark = tmp.resolve("eval-spark");
    Run l = localWithOneThread(evalArgs(local));
    Run s = EvalCommandTest.run(evalArgs(spark, "--engine", "spark"));
    for (Run r : List.of(l, s)) {
      assertEquals(2, r.code(), r.err()); // the corrupt PNG is the user's to fix
      assertTrue(r.err().contains("srtune: broken: "), r.err());
      assertTrue(r.err().contains("1 image(s) failed, the others finished"), r.err());
      assertTrue(r.out().contains("3 of 4 images finished (3 fine-tuned now)"), r.out());
    }
    // Everything but the wall time is the same, row for row, and the pictures byte for byte.
    Map<String, List<String>> expected = rows(local.resolve("results.csv"), "seconds");
    assertEquals(GOOD, List.copyOf(expected.keySet()));
    assertEquals(expected, rows(spark.resolve("results.csv"), "seconds"));
    for (String name : GOOD) {
      for (String f : List.of("lr.png", "bicubic.png", "sr_start.png", "sr.png")) {
        assertArrayEquals(Files.readAllBytes(local.resolve("images").resolve(name).resolve(f)),
            Files.readAllBytes(spark.resolve("images").resolve(name).resolve(f)), name + "/" + f);
      }
    }
    String error = Files.readString(spark.resolve("images/broken/error.json"));
    assertTrue(error.contains("\"user_input\": true"), error);
    assertFalse(Files.exists(spark.resolve("images/broken/result.json")));
    assertTrue(Files.readString(spark.resolve("results.json")).contains("\"failed\": ["));

    // A rerun (a resumed run, or Spark running the job again) fine-tunes nothing finished and adds no row.
    Map<String, FileTime> before = new LinkedHashMap<>();
    for (String name : GOOD) {
      before.put(name, Files.getLastModifiedTime(spark.resolve("images").resolve(name).resolve("result.json")));
    }
    Run again = EvalCommandTest.run(evalArgs(spark, "--engine", "spark"));
    assertEquals(2, again.code(), again.err());
    assertTrue(again.out().contains("3 of 4 images finished (0 fine-tuned now)"), again.out());
    for (String name : GOOD) {
      assertEquals(before.get(name),
          Files.getLastModifiedTime(spark.resolve("images").resolve(name).resolve("result.json")), name);
    }
    assertEquals(expected, rows(spark.resolve("results.csv"), "seconds"));
  }

  @Test
  void tuneInputDirOnSparkWritesWhatTheLocalEngineWrites() throws Exception {
    Path local = tmp.resolve("tune-local");
    Path spark = tmp.resolve("tune-spark");
    String[] common = {"tune", "--model", model.toString(), "--input-dir", dataset.toString(), "--schedule",
        "paper", "--max-iters", "5", "--stop", "none", "--lpips", "none"};
    Run l = localWithOneThread(concat(common, "--out", local.toString()));
    Run s = EvalCommandTest.run(concat(common, "--out", spark.toString(), "--engine", "spark"));
    for (Run r : List.of(l, s)) {
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("srtune: broken: "), r.err());
      assertTrue(r.out().contains("3 of 4 images finished"), r.out());
    }
    Map<String, List<String>> expected = rows(local.resolve("results.csv"), "seconds");
    assertEquals(GOOD, List.copyOf(expected.keySet()));
    assertEquals("5", expected.get("one").get(3), "iterations column");
    assertEquals(expected, rows(spark.resolve("results.csv"), "seconds"));
    for (String name : GOOD) {
      assertArrayEquals(Files.readAllBytes(local.resolve(name).resolve("sr.png")),
          Files.readAllBytes(spark.resolve(name).resolve("sr.png")), name);
    }
    assertTrue(Files.exists(spark.resolve("broken/error.json")));
  }

  @Test
  void badEngineOptionsAreOneSentence() {
    Run r = EvalCommandTest.run(evalArgs(tmp.resolve("bad-engine"), "--engine", "flink"));
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--engine must be local or spark"), r.err());
    Run m = EvalCommandTest.run(evalArgs(tmp.resolve("bad-master"), "--master", "local[2]"));
    assertEquals(2, m.code());
    assertTrue(m.err().contains("--master is only for --engine spark"), m.err());
    Run both = EvalCommandTest.run("tune", "--model", model.toString(), "--input-dir", dataset.toString(),
        "--input", dataset.resolve("one.png").toString());
    assertEquals(2, both.code());
    assertTrue(both.err().contains("Give one LR image with --input or a folder of them with --input-dir"),
        both.err());
  }

  static String[] concat(String[] a, String... b) {
    List<String> l = new ArrayList<>(List.of(a));
    l.addAll(List.of(b));
    return l.toArray(String[]::new);
  }
}
