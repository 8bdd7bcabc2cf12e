package dev.srtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.srtune.UserInputException;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/** fp32/bf16 parsing, and a tiny conv net run in bf16 against the same net in fp32. */
class PrecisionTest {
  @TempDir Path tmp;

  @Test
  void parsesFp32Bf16AndAutoOnly() {
    assertEquals(Precision.FP32, Precision.parse("fp32"));
    assertEquals(Precision.BF16, Precision.parse(" BF16 "));
    assertEquals(Precision.AUTO, Precision.parse("auto"));
    assertEquals("bf16", Precision.BF16.spec());
    UserInputException e = assertThrows(UserInputException.class, () -> Precision.parse("fp16"));
    assertEquals("Unknown precision 'fp16'; use auto, fp32 or bf16.", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SessionConfig.get(Precision.AUTO));
    assertThrows(UserInputException.class, () -> Precision.parse(null));
  }

  @Test
  void onlyBf16TurnsOnOnednnMixedPrecision() {
    assertEquals(RewriterConfig.Toggle.DEFAULT,
        SessionConfig.get().getGraphOptions().getRewriteOptions().getAutoMixedPrecisionOnednnBfloat16());
    assertEquals(RewriterConfig.Toggle.ON,
        SessionConfig.get(Precision.BF16).getGraphOptions().getRewriteOptions().getAutoMixedPrecisionOnednnBfloat16());
    assertEquals(SessionConfig.get().getIntraOpParallelismThreads(),
        SessionConfig.get(Precision.BF16).getIntraOpParallelismThreads());
  }

  record Run(float[] sr, boolean bfloat16InGraph) {}

  /** Loads without {@link SrModel}'s bf16 guard, to look at what bf16 does. */
  static Run run(Path dir, Precision p, RgbImage y) {
    try (org.tensorflow.SavedModelBundle b = org.tensorflow.SavedModelBundle.loader(dir.toString()).withTags("serve")
            .withConfigProto(SessionConfig.get(p)).load();
        TFloat32 x = y.toTensor();
        Result r = b.session().runner().feed("lr", x).fetch("sr")
            .setOptions(RunOptions.newBuilder().setOutputPartitionGraphs(true).build()).runAndFetchMetadata()) {
      RgbImage sr = RgbImage.fromTensor((TFloat32) r.get(0));
      boolean bf16 = false;
      for (GraphDef g : r.getMetadata().orElseThrow().getPartitionGraphsList()) {
        bf16 |= g.getNodeList().stream().flatMap(n -> n.getAttrMap().values().stream())
            .anyMatch(a -> a.getValueCase() == AttrValue.ValueCase.TYPE && a.getType() == DataType.DT_BFLOAT16);
      }
      return new Run(sr.data(), bf16);
    }
  }

  /** The CPUs this test runs bf16 on, and oneDNN on (bf16 mixed precision is a oneDNN rewrite). */
  static void assumeBf16Cpu() {
    List<String> flags = KernelReport.onednnCpuFlags(Path.of("/proc/cpuinfo"));
    assumeTrue(flags.contains("avx512_bf16") || flags.stream().anyMatch(f -> f.startsWith("amx")),
        "bf16 needs a CPU with avx512_bf16 or amx in /proc/cpuinfo; this one lists " + flags);
    assumeTrue(!"0".equals(System.getenv(KernelReport.ONEDNN_ENV)),
        "bf16 mixed precision is a oneDNN rewrite, and TF_ENABLE_ONEDNN_OPTS is 0");
  }

  /** A tiny SR net with an RGB input, as every SR model has: conv 3→8, relu, conv 8→3, plus the upscaled input. */
  Path tinyModel() throws Exception {
    return TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 5));
  }

  static RgbImage image() {
    Random rnd = new Random(4);
    float[] d = new float[24 * 24 * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = rnd.nextFloat();
    }
    return new RgbImage(24, 24, d);
  }

  @Test
  void bf16RunsTheNetworkInBfloat16() throws Exception {
    assumeBf16Cpu();
    Path dir = tinyModel();
    assertFalse(run(dir, Precision.FP32, image()).bfloat16InGraph(), "the fp32 graph has bfloat16 tensors");
    assertTrue(run(dir, Precision.BF16, image()).bfloat16InGraph(), "bf16 was asked for but no op ran in bfloat16");
  }

  /**
   * bf16 is either right or refused by {@link SrModel#load} in one sentence, on whatever CPU runs this: where
   * {@link Bf16Check} finds this network's convolutions right, its bf16 output stays within a bound derived from bf16
   * rounding (computed here on the host from its weights); where the network's output leaves that bound, the check
   * must have refused. Nothing here depends on the CPU model, only on bf16's 8 significant bits.
   */
  @Test
  void bf16IsAccurateOrRefused() throws Exception {
    assumeBf16Cpu();
    Path dir = tinyModel();
    RgbImage y = image();
    Run fp32 = run(dir, Precision.FP32, y);
    Run bf16 = run(dir, Precision.BF16, y);
    float[] bound = roundingBound(dir, y);
    double worst = 0;
    double max = 0;
    for (int i = 0; i < fp32.sr().length; i++) {
      double err = Math.abs(fp32.sr()[i] - bf16.sr()[i]);
      max = Math.max(max, err);
      worst = Math.max(worst, err / bound[i]);
    }
    assertTrue(max > 0, "bf16 output is bit-identical to fp32: the rewrite did not run");
    Bf16Check.Verdict wrong = Bf16Check.firstWrong(List.of(3, 8));
    if (wrong == null) {
      assertTrue(worst <= 1, "the check passes bf16, but the network's bf16 output is off by " + max + ", "
          + worst + " times its rounding bound");
      try (SrModel m = SrModel.load(dir, Precision.BF16)) {
        assertEquals(2, m.scale());
      }
    } else {
      UserInputException e = assertThrows(UserInputException.class, () -> SrModel.load(dir, Precision.BF16));
      assertTrue(e.getMessage().startsWith("bf16 convolutions compute wrong results on this CPU (a "
          + wrong.channels() + "-channel test convolution") && e.getMessage().endsWith("use --precision fp32."),
          e.getMessage());
    }
  }

  /** Where the CPU has no bf16 arithmetic (or oneDNN is off), bf16 is refused in one sentence before any work. */
  @Test
  void bf16IsRefusedWhereTheCpuHasNone() throws Exception {
    List<String> flags = KernelReport.onednnCpuFlags(Path.of("/proc/cpuinfo"));
    boolean hasBf16 = flags.contains("avx512_bf16") || flags.stream().anyMatch(f -> f.startsWith("amx"));
    org.junit.jupiter.api.Assumptions.assumeTrue(!hasBf16 || "0".equals(System.getenv(KernelReport.ONEDNN_ENV)),
        "this CPU has bf16 and oneDNN is on: bf16IsAccurateOrRefused covers it");
    UserInputException e = assertThrows(UserInputException.class, () -> SrModel.load(tinyModel(), Precision.BF16));
    assertTrue(e.getMessage().endsWith("use --precision fp32."), e.getMessage());
  }

  /**
   * Fine-tuning never runs TensorFlow's session-wide bf16 rewrite, on any CPU: it would reach the operator A and the
   * images (DESIGN "Precision"). auto loads fp32 and says why; bf16 is refused in one sentence before any work.
   */
  @Test
  void fineTuningRunsFp32UntilBf16IsKeptToTheTrainingStep() throws Exception {
    Path dir = tinyModel();
    for (boolean cropSteps : new boolean[] {false, true}) {
      try (SrModel m = SrModel.load(dir, Precision.AUTO, cropSteps)) {
        assertEquals(Precision.FP32, m.precision());
        assertEquals("fp32: " + SrModel.BF16_NOT_CONFINED, m.precisionChoice().get());
        assertEquals(2, m.scale());
      }
      assertEquals(Precision.FP32, SrModel.known(Precision.AUTO, cropSteps));
      UserInputException e = assertThrows(UserInputException.class,
          () -> SrModel.load(dir, Precision.BF16, cropSteps));
      assertTrue(e.getMessage().startsWith("--precision bf16 is off: ")
          && e.getMessage().endsWith("use --precision fp32 (or auto)."), e.getMessage());
    }
  }

  /** The check's verdict is bf16's rounding bound, not a CPU's: exact data would pass any right kernel. */
  @Test
  void checkMeasuresEachChannelCountOnce() {
    assumeBf16Cpu();
    Bf16Check.Verdict a = Bf16Check.check(3);
    assertEquals(3, a.channels());
    assertTrue(a.maxError() > 0 && a.ratio() > 0, "the bf16 test convolution was bit-exact: the rewrite did not run");
    assertTrue(a == Bf16Check.check(3), "measured twice");
  }

  /**
   * A per-output bound on what bf16 rounding may move the tiny net's output (sr = up + conv2(relu(conv1(up)))): every
   * rounding (the input, each filter, the hidden layer, each output) is relative, at most u = 2^-8, of a quantity
   * bounded by the same net run on absolute values; at most six of them lie on any path, so 6u times that net bounds
   * the error. Computed on the host in double from the model's own weights.
   */
  static float[] roundingBound(Path dir, RgbImage y) {
    float[] w1;
    float[] w2;
    try (org.tensorflow.SavedModelBundle b = org.tensorflow.SavedModelBundle.load(dir.toString(), "serve");
        Result r = b.session().runner().fetch("conv1_w").fetch("conv2_w").run()) {
      w1 = floats((TFloat32) r.get(0));
      w2 = floats((TFloat32) r.get(1));
    }
    int h = y.height() * 2;
    int w = y.width() * 2;
    double[] up = new double[h * w * 3];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        for (int k = 0; k < 3; k++) {
          up[(r * w + c) * 3 + k] = Math.abs(y.data()[((r / 2) * y.width() + c / 2) * 3 + k]);
        }
      }
    }
    double[] hidden = absConv(up, h, w, 3, w1, 8);
    double[] out = absConv(hidden, h, w, 8, w2, 3);
    float[] bound = new float[out.length];
    for (int i = 0; i < out.length; i++) {
      bound[i] = (float) (6 * Bf16Check.UNIT_ROUNDOFF * (up[i] + out[i]) + 1e-6);
    }
    return bound;
  }

  /** 3x3 SAME convolution of |x| with |w| (HWIO). */
  private static double[] absConv(double[] x, int h, int w, int in, float[] f, int out) {
    double[] y = new double[h * w * out];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        for (int dr = -1; dr <= 1; dr++) {
          for (int dc = -1; dc <= 1; dc++) {
            int rr = r + dr;
            int cc = c + dc;
            if (rr < 0 || rr >= h || cc < 0 || cc >= w) {
              continue;
            }
            for (int i = 0; i < in; i++) {
              double v = Math.abs(x[(rr * w + cc) * in + i]);
              for (int o = 0; o < out; o++) {
                y[(r * w + c) * out + o] += v * Math.abs(f[(((dr + 1) * 3 + dc + 1) * in + i) * out + o]);
              }
            }
          }
        }
      }
    }
    return y;
  }

  private static float[] floats(TFloat32 t) {
    float[] a = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(a);
    return a;
  }
}
