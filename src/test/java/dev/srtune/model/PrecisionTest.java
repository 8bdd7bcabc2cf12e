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
  void parsesFp32AndBf16Only() {
    assertEquals(Precision.FP32, Precision.parse("fp32"));
    assertEquals(Precision.BF16, Precision.parse(" BF16 "));
    assertEquals("bf16", Precision.BF16.spec());
    UserInputException e = assertThrows(UserInputException.class, () -> Precision.parse("fp16"));
    assertEquals("Unknown precision 'fp16'; use fp32 or bf16.", e.getMessage());
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
   * bf16 is either right (within bf16 rounding of fp32 on a tiny RGB net) or refused by {@link SrModel#load} in one
   * sentence. Measured on an AMD EPYC (avx512_bf16, no AMX), TF 2.18: oneDNN's bfloat16 Conv2D is wrong when the input
   * has 3, 5, 7 or 9 channels (right for 1, 2, 4, 6, 8 or 12, and with TF_ENABLE_ONEDNN_OPTS=0), and an SR
   * network's first layer has 3: there it is refused.
   */
  @Test
  void bf16IsAccurateOrRefused() throws Exception {
    assumeBf16Cpu();
    Path dir = tinyModel();
    Run fp32 = run(dir, Precision.FP32, image());
    Run bf16 = run(dir, Precision.BF16, image());
    double max = 0;
    for (int i = 0; i < fp32.sr().length; i++) {
      max = Math.max(max, Math.abs(fp32.sr()[i] - bf16.sr()[i]));
    }
    assertTrue(max > 0, "bf16 output is bit-identical to fp32: the rewrite did not run");
    // Rounding inputs and weights to bf16 and computing in float moves this output by 0.0066 at most.
    boolean accurate = max < 1e-2;
    assertEquals(accurate, Bf16Check.passes(), "the check (error " + Bf16Check.maxError() + ") disagrees with the "
        + "network (error " + max + ")");
    if (accurate) {
      try (SrModel m = SrModel.load(dir, Precision.BF16)) {
        assertEquals(2, m.scale());
      }
    } else {
      UserInputException e = assertThrows(UserInputException.class, () -> SrModel.load(dir, Precision.BF16));
      assertTrue(e.getMessage().startsWith("bf16 convolutions compute wrong results on this CPU")
          && e.getMessage().endsWith("use --precision fp32."), e.getMessage());
    }
  }
}
