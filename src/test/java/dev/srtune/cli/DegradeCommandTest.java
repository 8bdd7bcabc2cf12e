package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.ImageFiles;
import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.MatlabImresize;
import dev.srtune.testing.Shared;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code srtune degrade}: results against independent computations, and one-sentence errors for bad input. */
class DegradeCommandTest {
  @TempDir Path tmp;
  Path hr;

  @BeforeEach
  void writeHr() throws Exception {
    RgbImage img = RgbImage.zeros(37, 50);
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        for (int c = 0; c < 3; c++) {
          img.set(y, x, c, ((y * 13 + x * 7 + c * 50) % 256) / 255f);
        }
      }
    }
    hr = tmp.resolve("hr.png");
    ImageFiles.writePng(img, hr);
  }

  /** Runs the CLI in-process; returns the exit code and what went to stderr. */
  record Run(int code, String err) {}

  static Run run(String... args) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setErr(p);
      int code = Main.run(args);
      return new Run(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }

  @Test
  void makesAModcroppedLrImageAndLeavesTheInputAlone() throws Exception {
    byte[] before = Files.readAllBytes(hr);
    Path lr = tmp.resolve("out/lr.png");
    Run r = run("degrade", "--input", hr.toString(), "--scale", "3", "--out", lr.toString());
    assertEquals(0, r.code(), r.err());
    RgbImage out = ImageFiles.read(lr);
    assertEquals(12, out.height());
    assertEquals(16, out.width());
    assertArrayEquals(before, Files.readAllBytes(hr), "input untouched");
    // Independent: MATLAB's uint8 imresize with clamped borders, transcribed in plain Java.
    RgbImage expected = MatlabImresize.downscale(ImageFiles.read(hr).modcrop(3), 3, true);
    assertArrayEquals(expected.data(), out.data(), 0f);
  }

  @Test
  void blurFromATextKernelFileAndSaveKernel() throws Exception {
    Path k = tmp.resolve("k.txt");
    Files.writeString(k, "# a 3x3 box\n1 1 1\n1 1 1\n1 1 1\n");
    Path lr = tmp.resolve("lr.png");
    Path saved = tmp.resolve("k.npy");
    Run r = run("degrade", "--input", hr.toString(), "--scale", "2", "--blur", "kernel:" + k,
        "--downsampler", "lanczos3", "--out", lr.toString(), "--save-kernel", saved.toString());
    assertEquals(0, r.code(), r.err());
    Npy.Array a = Npy.read(saved);
    assertArrayEquals(new int[] {3, 3}, a.shape());
    for (float v : a.data()) {
      assertEquals(1 / 9.0, v, 1e-7);
    }
    assertEquals(18, ImageFiles.read(lr).height());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "missing input; --input; missing.png; does not exist",
      "corrupt input; --input; corrupt.png; Could not read",
      "bad blur; --blur; gaussian:15:x; gaussian:SIZE:SIGMA",
      "bad downsampler; --downsampler; nearest; bicubic, bicubic-sym, lanczos3",
      "bad scale; --scale; 5x; Invalid value",
      "missing kernel file; --blur; kernel:nope.npy; does not exist"})
  void badInputGivesOneSentenceAndNonZeroExit(String what, String option, String value, String expected)
      throws Exception {
    Files.writeString(tmp.resolve("corrupt.png"), "this is not a PNG");
    String v = value.endsWith(".png") ? tmp.resolve(value).toString() : value;
    String[] args = option.equals("--input")
        ? new String[] {"degrade", "--input", v, "--scale", "2", "--out", tmp.resolve("lr.png").toString()}
        : new String[] {"degrade", "--input", hr.toString(), "--scale", "2", option, v, "--out",
            tmp.resolve("lr.png").toString()};
    if (option.equals("--scale")) {
      args = new String[] {"degrade", "--input", hr.toString(), "--scale", v, "--out", tmp.resolve("lr.png").toString()};
    }
    Run r = run(args);
    assertTrue(r.code() != 0, what + " exit code");
    assertTrue(r.err().contains(expected), what + ": " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(Files.exists(tmp.resolve("lr.png")), "nothing written");
    System.out.println(what + " -> exit " + r.code() + ": " + r.err().strip().lines().findFirst().orElse(""));
  }

  @Test
  void refusesToOverwriteTheInputAndTooSmallImages() throws Exception {
    Run same = run("degrade", "--input", hr.toString(), "--scale", "2", "--out", hr.toString());
    assertEquals(2, same.code());
    assertTrue(same.err().contains("never overwrites"), same.err());
    Run small = run("degrade", "--input", hr.toString(), "--scale", "2", "--blur", "gaussian:101:9",
        "--out", tmp.resolve("lr.png").toString());
    assertEquals(2, small.code());
    assertTrue(small.err().contains("larger image"), small.err());
    Run kernel = run("degrade", "--input", hr.toString(), "--scale", "2", "--save-kernel", "k.npy",
        "--out", tmp.resolve("lr.png").toString());
    assertEquals(2, kernel.code());
  }

  /** Set5 through {@code degrade} equals MATLAB's uint8 bicubic (the classic benchmark LR images' recipe). */
  @Tag("integration")
  @ParameterizedTest(name = "{0} x{1}")
  @CsvSource({"baby, 2", "baby, 3", "baby, 4", "bird, 2", "bird, 3", "bird, 4", "butterfly, 2", "butterfly, 3",
      "butterfly, 4", "head, 2", "head, 3", "head, 4", "woman, 2", "woman, 3", "woman, 4"})
  void set5LrEqualsMatlabUint8Bicubic(String image, int scale) throws Exception {
    Path in = Shared.path("datasets/Set5/" + image + ".png");
    Path lr = tmp.resolve(image + "_x" + scale + ".png");
    Run r = run("degrade", "--input", in.toString(), "--scale", String.valueOf(scale), "--out", lr.toString());
    assertEquals(0, r.code(), r.err());
    RgbImage out = ImageFiles.read(lr);
    RgbImage expected = MatlabImresize.downscale(ImageFiles.read(in).modcrop(scale), scale, true);
    assertEquals(expected.height(), out.height());
    assertEquals(expected.width(), out.width());
    int differing = 0;
    for (int i = 0; i < out.data().length; i++) {
      if (out.data()[i] != expected.data()[i]) {
        differing++;
      }
    }
    System.out.printf("degrade Set5 %s x%d: %d of %d values differ from MATLAB uint8 bicubic%n", image, scale,
        differing, out.data().length);
    assertEquals(0, differing);
  }

  /** Butterfly x2 through {@code degrade} against the float references: within the 8-bit rounding, mostly. */
  @Tag("integration")
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "bicubic; ; resize/replicate/butterfly_down_x2.npy",
      "lanczos3; ; pil/butterfly_pil_lanczos_x2_float.npy",
      "bicubic-sym; gaussian:15:1.6; blur/butterfly_blur_iso_down_x2.npy",
      "bicubic-sym; 'gaussian:15:2.5,1.0,30'; blur/butterfly_blur_aniso_down_x2.npy"})
  void butterflyLrIsTheFloatReferenceRoundedPerStep(String downsampler, String blur, String reference)
      throws Exception {
    Path lr = tmp.resolve("lr.png");
    String[] base = {"degrade", "--input", Shared.path("datasets/Set5/butterfly.png").toString(), "--scale", "2",
        "--downsampler", downsampler, "--out", lr.toString()};
    String[] args = blur == null ? base : concat(base, "--blur", blur.replace("'", ""));
    Run r = run(args);
    assertEquals(0, r.code(), r.err());
    RgbImage out = ImageFiles.read(lr);
    // The references are not clipped (negative lobes); an 8-bit file is.
    RgbImage expected = Shared.referenceImage(reference).clipped();
    double worst = 0;
    int far = 0;
    for (int i = 0; i < out.data().length; i++) {
      double d = Math.abs(out.data()[i] - expected.data()[i]) * 255;
      worst = Math.max(worst, d);
      if (d > 1.5) {
        far++;
      }
    }
    double farFraction = far / (double) out.data().length;
    System.out.printf("degrade butterfly x2 %s%s vs %s: max %.2f levels, %.3f%% of values more than 1.5 levels "
        + "away%n", blur == null ? "" : blur + "+", downsampler, reference, worst, 100 * farFraction);
    // Rounding each step moves a value by about a level; more only where an intermediate pass saturated at 0 or
    // 255 (MATLAB uint8 and PIL 8-bit clip between passes; the float references do not), which is rare.
    assertTrue(farFraction < 0.005, 100 * farFraction + "% of values more than 1.5 levels away");
    assertTrue(worst < 10, worst + " levels");
  }

  private static String[] concat(String[] a, String... b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
