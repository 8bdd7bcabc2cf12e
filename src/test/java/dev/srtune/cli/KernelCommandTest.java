package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code srtune kernel}, {@code --blur estimate} and {@code --refine-kernel}: one sentence, exit 2,
 * nothing written.
 */
class KernelCommandTest {
  @TempDir static Path tmp;
  static Path small;
  static Path lr;
  static Path model;

  @BeforeAll
  static void setUp() throws Exception {
    small = tmp.resolve("small.png");
    ImageFiles.writePng(image(12, 12), small);
    lr = tmp.resolve("lr.png");
    ImageFiles.writePng(image(40, 40), lr);
    model = TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
  }

  static RgbImage image(int h, int w) {
    Random r = new Random(1);
    float[] d = new float[h * w * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    return new RgbImage(h, w, d);
  }

  private static void refused(String fragment, Path mustNotExist, String... args) {
    BadInputTest.Run r = BadInputTest.run(args);
    BadInputTest.assertOneSentence(r, fragment);
    if (mustNotExist != null) {
      assertFalse(Files.exists(mustNotExist), mustNotExist + " was written");
    }
  }

  @Test
  void lrTooSmallForTheKernel() {
    Path out = tmp.resolve("k1.npy");
    refused("too small to estimate a 15x15 kernel", out, "kernel", "--input", small.toString(), "--scale", "2",
        "--out", out.toString());
  }

  @Test
  void scaleWithoutOperators() {
    Path out = tmp.resolve("k2.npy");
    refused("Scale 9 is not supported", out, "kernel", "--input", lr.toString(), "--scale", "9", "--out",
        out.toString());
  }

  @Test
  void badExperimentOptions() {
    Path out = tmp.resolve("k9.npy");
    refused("--kernel-model", out, "kernel", "--input", lr.toString(), "--scale", "2", "--kernel-model", "box",
        "--out", out.toString());
    refused("START:END:P", out, "kernel", "--input", lr.toString(), "--scale", "2", "--image-prior", "0.1:x",
        "--out", out.toString());
    refused("0 < P <= 2", out, "kernel", "--input", lr.toString(), "--scale", "2", "--image-prior", "0.1:0.01:3",
        "--out", out.toString());
  }

  @Test
  void evenOrHugeSize() {
    Path out = tmp.resolve("k3.npy");
    refused("kernel size must be odd", out, "kernel", "--input", lr.toString(), "--scale", "2", "--size", "4",
        "--out", out.toString());
    refused("kernel size must be odd", out, "kernel", "--input", lr.toString(), "--scale", "2", "--size", "33",
        "--out", out.toString());
  }

  @Test
  void outMustBeNpy() {
    refused("--out must name a .npy file", null, "kernel", "--input", lr.toString(), "--scale", "2", "--out",
        tmp.resolve("k.png").toString());
  }

  @Test
  void badEstimateSpecInTune() {
    Path out = tmp.resolve("t1");
    refused("estimate:size=K", out, "tune", "--model", model.toString(), "--input", lr.toString(), "--blur",
        "estimate:size=x", "--out", out.toString());
  }

  @Test
  void estimateTooSmallInTune() {
    Path out = tmp.resolve("t2");
    refused("too small to estimate", out.resolve("report.json"), "tune", "--model", model.toString(), "--input",
        small.toString(), "--blur", "estimate", "--out", out.toString());
  }

  @Test
  void refineWithoutAKernel() {
    Path out = tmp.resolve("t3");
    refused("--refine-kernel needs a kernel", out, "tune", "--model", model.toString(), "--input", lr.toString(),
        "--refine-kernel", "--out", out.toString());
  }

  @Test
  void estimateWithoutSaveKernelInDegrade() {
    Path out = tmp.resolve("d1.png");
    refused("--save-kernel", out, "degrade", "--input", lr.toString(), "--scale", "2", "--blur", "estimate",
        "--out", out.toString());
  }
}
