package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.Shared;
import dev.srtune.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error message that tells the user to run something is followed: the command quoted in the message is run,
 * with its placeholders filled for the case at hand, and must succeed; then the refused command, changed as the
 * message says, must run.
 */
class SuggestionsWorkTest {
  @TempDir static Path tmp;
  static Path model;
  static Path lr;

  @BeforeAll
  static void setUp() throws Exception {
    model = TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
    float[] d = new float[40 * 40 * 3];
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        for (int c = 0; c < 3; c++) {
          d[(y * 40 + x) * 3 + c] = (float) (0.5 + 0.4 * Math.sin(x * 0.4 + c) * Math.cos(y * 0.3));
        }
      }
    }
    lr = tmp.resolve("lr.png");
    ImageFiles.writePng(new RgbImage(40, 40, d), lr);
  }

  /** The message's one sentence, which must name a command in single quotes. */
  private static String refusal(BadInputTest.Run r) {
    assertEquals(2, r.code(), r.err());
    return r.err().lines().filter(l -> l.startsWith("srtune: ")).findFirst().orElseThrow();
  }

  /** The command quoted in {@code message} ('srtune ...'), its placeholders replaced. */
  private static String[] suggested(String message, Map<String, String> fill) {
    Matcher m = Pattern.compile("'srtune ([^']+)'").matcher(message);
    assertTrue(m.find(), "no command in: " + message);
    List<String> args = new ArrayList<>();
    for (String word : m.group(1).split(" ")) {
      args.add(fill.getOrDefault(word, word));
    }
    assertTrue(args.stream().noneMatch(a -> a.equals("...")), "an elided command cannot be run: " + message);
    return args.toArray(String[]::new);
  }

  @Test
  void aFolderWithoutASavedModelSuggestsABuildThatWorks() {
    Path weights = Shared.enhanceNetCheckpoint();
    Path empty = tmp.resolve("not-a-model");
    Path built = tmp.resolve("built");
    String msg = refusal(BadInputTest.run("tune", "--model", empty.toString(), "--input", lr.toString(), "--out",
        tmp.resolve("o1").toString()));
    assertTrue(msg.contains("No SavedModel"), msg);
    String[] build = suggested(msg, Map.of("FILE", weights.toString(), "S", "2", "DIR", built.toString()));
    BadInputTest.Run b = BadInputTest.run(build);
    assertEquals(0, b.code(), b.err());
    BadInputTest.Run t = BadInputTest.run("tune", "--model", built.toString(), "--input", lr.toString(),
        "--max-iters", "1", "--lpips", "none", "--out", tmp.resolve("o2").toString());
    assertEquals(0, t.code(), t.err());
  }

  @Test
  void aWrongScaleSuggestsTheModelsOwn() {
    String msg = refusal(BadInputTest.run("tune", "--model", model.toString(), "--input", lr.toString(), "--scale",
        "3", "--out", tmp.resolve("o3").toString()));
    Matcher m = Pattern.compile("pass --scale (\\d+)").matcher(msg);
    assertTrue(m.find(), msg);
    BadInputTest.Run t = BadInputTest.run("tune", "--model", model.toString(), "--input", lr.toString(), "--scale",
        m.group(1), "--max-iters", "1", "--lpips", "none", "--out", tmp.resolve("o4").toString());
    assertEquals(0, t.code(), t.err());
  }

  @Test
  void aKernelThatCannotBeEstimatedHereSuggestsMakingItFirst() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("photos"));
    Files.copy(lr, dir.resolve("a.png"));
    String msg = refusal(BadInputTest.run("tune", "--model", model.toString(), "--input-dir", dir.toString(),
        "--blur", "estimate", "--out", tmp.resolve("o5").toString()));
    Path k = tmp.resolve("k.npy");
    BadInputTest.Run made = BadInputTest.run(suggested(msg, Map.of("LR.png", lr.toString(), "S", "2", "K.npy",
        k.toString())));
    assertEquals(0, made.code(), made.err());
    assertTrue(msg.contains("--blur kernel:K.npy"), msg);
    BadInputTest.Run t = BadInputTest.run("tune", "--model", model.toString(), "--input-dir", dir.toString(),
        "--blur", "kernel:" + k, "--max-iters", "1", "--lpips", "none", "--out", tmp.resolve("o6").toString());
    assertEquals(0, t.code(), t.err());
  }
}
