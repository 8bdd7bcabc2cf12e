package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.ImageFiles;
import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: no output ever replaces an input, and a bad output location is refused before any work. Every case
 * asserts the one sentence, exit code 2, no stack trace, and that every file that existed before (inputs, model,
 * earlier outputs) is byte-identical afterwards with nothing added.
 */
class NothingLostTest {
  @TempDir Path tmp;
  Path model;
  Path lr;
  Path hr;

  @BeforeEach
  void setUp() throws Exception {
    model = TinyModels.save(tmp.resolve("model"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
    lr = tmp.resolve("lr.png");
    hr = tmp.resolve("hr.png");
    ImageFiles.writePng(noise(16, 16, 1), lr);
    ImageFiles.writePng(noise(32, 32, 2), hr);
  }

  static RgbImage noise(int h, int w, long seed) {
    Random r = new Random(seed);
    float[] d = new float[h * w * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    return new RgbImage(h, w, d);
  }

  /** Every file under the test folder, by relative path, with its bytes (as a string for readable diffs). */
  Map<String, String> snapshot() throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(tmp)) {
      for (Path p : s.toList()) {
        m.put(tmp.relativize(p).toString(), Files.isRegularFile(p)
            ? java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(p))) : "dir");
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return m;
  }

  record Run(int code, String err) {}

  static Run run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      return new Run(Main.run(args), buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  /** Runs {@code args}, expecting refusal with {@code fragment}, and that nothing under the test folder changed. */
  void assertRefusedAndNothingChanged(String fragment, String... args) throws IOException {
    Map<String, String> before = snapshot();
    Run r = run(args);
    assertEquals(2, r.code(), r.err());
    String line = r.err().lines().filter(l -> l.startsWith("srtune: ")).findFirst().orElse("");
    assertTrue(line.contains(fragment), "expected '" + fragment + "' in: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertEquals(before, snapshot(), "files before and after");
  }

  @Test
  void inputNamedLikeAnOutputInsideOutIsRefused() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path input = Files.copy(lr, out.resolve("sr_start.png"));
    assertRefusedAndNothingChanged("never overwrites", "tune", "--model", model.toString(), "--input",
        input.toString(), "--scale", "2", "--out", out.toString(), "--max-iters", "1");
  }

  @Test
  void inputDirThatIsAnImagesOutputFolderIsRefused() throws Exception {
    // --out OUT writes image 'lr' into OUT/lr/: with --input-dir OUT/lr it would write into its own input folder.
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path inputDir = Files.createDirectories(out.resolve("lr"));
    Files.copy(lr, inputDir.resolve("lr.png"));
    assertRefusedAndNothingChanged("--input-dir", "tune", "--model", model.toString(), "--input-dir",
        inputDir.toString(), "--scale", "2", "--out", out.toString(), "--max-iters", "1");
  }

  @Test
  void hrNamedSrPngInsideOutIsRefused() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path h = Files.copy(hr, out.resolve("sr.png"));
    assertRefusedAndNothingChanged("--hr", "tune", "--model", model.toString(), "--input", lr.toString(),
        "--hr", h.toString(), "--scale", "2", "--out", out.toString(), "--max-iters", "1");
  }

  @Test
  void inputReachedThroughASymlinkedOutIsRefused() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Path input = Files.copy(lr, real.resolve("sr.png"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    assertRefusedAndNothingChanged("never overwrites", "tune", "--model", model.toString(), "--input",
        input.toString(), "--scale", "2", "--out", link.toString(), "--max-iters", "1");
  }

  @Test
  void exportOverTheModelIsRefused() throws Exception {
    assertRefusedAndNothingChanged("--model", "tune", "--model", model.toString(), "--input", lr.toString(),
        "--scale", "2", "--out", tmp.resolve("out").toString(), "--export", model.toString(), "--max-iters", "1");
  }

  @Test
  void exportIntoOutIsRefused() throws Exception {
    Path export = tmp.resolve("tuned-model");
    assertRefusedAndNothingChanged("separate folders", "tune", "--model", model.toString(), "--input", lr.toString(),
        "--scale", "2", "--out", export.resolve("run").toString(), "--export", export.toString(), "--max-iters", "1");
  }

  @Test
  void outThatIsAFileIsRefusedBeforeAnyWork() throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "mine\n");
    assertRefusedAndNothingChanged("is a file", "tune", "--model", model.toString(), "--input", lr.toString(),
        "--scale", "2", "--out", file.toString(), "--max-iters", "1");
  }

  @Test
  void outUnderAFileIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "mine\n");
    assertRefusedAndNothingChanged("lies under the file", "tune", "--model", model.toString(), "--input",
        lr.toString(), "--scale", "2", "--out", file.resolve("out").toString(), "--max-iters", "1");
  }

  @Test
  void unwritableOutIsRefusedBeforeAnyWork() throws Exception {
    Path locked = Files.createDirectories(tmp.resolve("locked"));
    Files.writeString(locked.resolve("sr.png"), "an earlier result\n");
    lock(locked);
    try {
      assertRefusedAndNothingChanged("Cannot write in", "tune", "--model", model.toString(), "--input",
          lr.toString(), "--scale", "2", "--out", locked.toString(), "--max-iters", "1");
      assertRefusedAndNothingChanged("Cannot write in", "tune", "--model", model.toString(), "--input",
          lr.toString(), "--scale", "2", "--out", locked.resolve("new").toString(), "--max-iters", "1");
    } finally {
      unlock(locked);
    }
  }

  @Test
  void degradeOutNamingAFolderIsRefused() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("folder"));
    assertRefusedAndNothingChanged("is a folder", "degrade", "--input", hr.toString(), "--scale", "2",
        "--out", folder.toString());
  }

  @Test
  void degradeOverItsKernelFileIsRefused() throws Exception {
    Path k = tmp.resolve("k.npy");
    Npy.write(k, new int[] {3, 3}, new float[] {0, 0.1f, 0, 0.1f, 0.6f, 0.1f, 0, 0.1f, 0});
    assertRefusedAndNothingChanged("never overwrites", "degrade", "--input", hr.toString(), "--scale", "2",
        "--blur", "kernel:" + k, "--out", tmp.resolve("lr2.png").toString(), "--save-kernel", k.toString());
  }

  @Test
  void buildOverAFolderThatIsNotASavedModelIsRefused() throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(photos.resolve("holiday.txt"), "not a model\n");
    assertRefusedAndNothingChanged("no SavedModel", "build", "enhancenet", "--checkpoint",
        tmp.resolve("weights").toString(), "--scale", "2", "--out", photos.toString());
  }

  @Test
  void evalOutUnderAFileIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "mine\n");
    Path dataset = Files.createDirectories(tmp.resolve("dataset"));
    Files.copy(hr, dataset.resolve("a.png"));
    assertRefusedAndNothingChanged("lies under the file", "eval", "--model", model.toString(), "--dataset",
        dataset.toString(), "--scale", "2", "--out", file.resolve("eval").toString(), "--max-iters", "1");
  }

  @Test
  void modelWithMissingVariableFilesSaysWhichAndToRebuild() throws Exception {
    try (Stream<Path> s = Files.list(model.resolve("variables"))) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    assertRefusedAndNothingChanged("rebuild it", "tune", "--model", model.toString(), "--input", lr.toString(),
        "--scale", "2", "--out", tmp.resolve("out").toString(), "--max-iters", "1");
    Run r = run("tune", "--model", model.toString(), "--input", lr.toString(), "--scale", "2",
        "--out", tmp.resolve("out").toString(), "--max-iters", "1");
    assertTrue(r.err().contains("variable(s) ("), r.err());
  }

  @Test
  void scaleDefaultsToTheModelsOwn() throws Exception {
    Path out = tmp.resolve("out");
    Run r = run("tune", "--model", model.toString(), "--input", lr.toString(), "--out", out.toString(),
        "--max-iters", "1", "--stop", "none");
    assertEquals(0, r.code(), r.err());
    assertEquals(32, ImageFiles.read(out.resolve("sr.png")).height());
  }

  @Test
  void outputsFollowTheUmaskNotOwnerOnly() throws Exception {
    Path out = tmp.resolve("out");
    Run r = run("degrade", "--input", hr.toString(), "--scale", "2", "--out", out.resolve("lr.png").toString());
    assertEquals(0, r.code(), r.err());
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(out.resolve("lr.png"));
    // A fresh file made the ordinary way under the same umask: what the user expects to get.
    Set<PosixFilePermission> ordinary = Files.getPosixFilePermissions(Files.writeString(tmp.resolve("o.txt"), "x"));
    assertEquals(ordinary, perms);
  }

  /** Makes {@code dir} refuse new files: chattr +i as root (root ignores permission bits), chmod otherwise. */
  static void lock(Path dir) throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      Process p = new ProcessBuilder("chattr", "+i", dir.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor();
    } else {
      Files.setPosixFilePermissions(dir, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE));
    }
    Path probe = dir.resolve("probe");
    boolean writable;
    try {
      Files.createFile(probe);
      Files.delete(probe);
      writable = true;
    } catch (IOException e) {
      writable = false;
    }
    if (writable) {
      unlock(dir);
    }
    Assumptions.assumeFalse(writable, "this file system lets us write into a locked folder: cannot test");
  }

  static void unlock(Path dir) throws Exception {
    new ProcessBuilder("chattr", "-i", dir.toString()).redirectErrorStream(true).start().waitFor();
    Files.setPosixFilePermissions(dir, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE));
  }
}
