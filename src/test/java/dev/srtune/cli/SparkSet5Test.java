package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.srtune.cli.EvalCommandTest.Run;
import dev.srtune.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --engine spark} embedded (local[2], one core per task) on Set5 bird and head with EnhanceNet x4 built
 * for x2 gives the results.csv of {@code --engine local} (every column but the wall time) and the same pictures.
 */
@Tag("integration")
@Tag("slow")
class SparkSet5Test {
  @TempDir Path tmp;

  @Test
  void sparkAndLocalAgreeOnSet5() throws Exception {
    Path model = tmp.resolve("enet-x2");
    assertEquals(0, Main.run("build", "enhancenet", "--checkpoint", Shared.enhanceNetCheckpoint().toString(),
        "--scale", "2", "--out", model.toString()));
    String[] common = {"eval", "--model", model.toString(), "--dataset", Shared.path("datasets/Set5").toString(),
        "--images", "bird,head", "--scale", "2", "--max-iters", "10", "--lpips", "none", "--master", "local[2]",
        "--engine"};
    Path spark = tmp.resolve("spark");
    Path local = tmp.resolve("local");
    Run s = EvalCommandTest.run(SparkEngineTest.concat(common, "spark", "--out", spark.toString()));
    assertEquals(0, s.code(), s.err());
    String[] localArgs = {"eval", "--model", model.toString(), "--dataset", Shared.path("datasets/Set5").toString(),
        "--images", "bird,head", "--scale", "2", "--max-iters", "10", "--lpips", "none", "--out", local.toString()};
    Run l = SparkEngineTest.localWithOneThread(localArgs);
    assertEquals(0, l.code(), l.err());
    Map<String, List<String>> expected = SparkEngineTest.rows(local.resolve("results.csv"), "seconds");
    assertEquals(List.of("bird", "head"), List.copyOf(expected.keySet()));
    assertEquals(expected, SparkEngineTest.rows(spark.resolve("results.csv"), "seconds"));
    for (String name : expected.keySet()) {
      assertArrayEquals(Files.readAllBytes(local.resolve("images").resolve(name).resolve("sr.png")),
          Files.readAllBytes(spark.resolve("images").resolve(name).resolve("sr.png")), name);
    }
  }
}
