package dev.srtune.graph.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.srtune.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code srtune build upscalerjs} on a package folder holding a tiny RRDN-like model the test writes. */
class BuildUpscalerJsCommandTest {
  @TempDir Path tmp;

  Path packageDir() throws Exception {
    Path pkg = tmp.resolve("pkg");
    TfjsImporterTest.shuffleLike().write(pkg.resolve("models/x4"), true);
    Files.writeString(pkg.resolve("package.json"), "{\"name\": \"@test/tiny\", \"version\": \"0.0.1\"}");
    return pkg;
  }

  @Test
  void buildsAtAPooledScaleAndRecordsItsSource() throws Exception {
    Path out = tmp.resolve("sm");
    assertEquals(0, Main.run("build", "upscalerjs", "--package", packageDir().toString(), "--model", "x4",
        "--scale", "2", "--out", out.toString()));
    var meta = JsonParser.parseString(Files.readString(out.resolve("srtune.json"))).getAsJsonObject();
    assertEquals(2, meta.get("scale").getAsInt());
    assertEquals(4, meta.get("native_scale").getAsInt());
    assertEquals(1, meta.get("value_range").getAsInt());
    assertTrue(meta.get("source").getAsString().contains("@test/tiny@0.0.1"), meta.toString());
  }

  @Test
  void impossibleScaleAndMissingModelAreUserErrors() throws Exception {
    Path pkg = packageDir();
    Path out = tmp.resolve("sm");
    assertEquals(2, Main.run("build", "upscalerjs", "--package", pkg.toString(), "--scale", "3", "--out",
        out.toString()));
    assertEquals(2, Main.run("build", "upscalerjs", "--package", pkg.toString(), "--model", "x8", "--out",
        out.toString()));
    assertEquals(2, Main.run("build", "upscalerjs", "--package", tmp.resolve("nowhere/pkg").toString(), "--out",
        out.toString()));
    assertFalse(Files.exists(out));
  }
}
