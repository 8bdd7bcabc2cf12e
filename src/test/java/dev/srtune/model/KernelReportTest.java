package dev.srtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import dev.srtune.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

/**
 * The kernels a training step of a two-layer conv net ran as. Under surefire TF_ENABLE_ONEDNN_OPTS is 1 (pom.xml)
 * unless the user set it, so the gradient convolutions must be oneDNN ones; with the user's 0 the plain ones.
 */
@SuppressWarnings("unchecked")
class KernelReportTest {
  @TempDir Path tmp;

  static RgbImage image(int n, long seed) {
    Random r = new Random(seed);
    float[] d = new float[n * n * 3];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    return new RgbImage(n, n, d);
  }

  static Operand<TFloat32> normal(Ops tf, long[] shape, long seed) {
    return tf.math.mul(tf.random.statelessRandomNormal(tf.constant(shape), tf.constant(new long[] {seed, 1}),
        TFloat32.class), tf.constant(0.1f));
  }

  @Test
  void findsTheGradientConvolutionsAndTheirKernels() {
    try (Graph g = new Graph(); Session s = new Session(g, SessionConfig.get())) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = TinyModels.input(tf);
      // Layer 1 on a ref variable, layer 2 on a resource variable: the fine-tuner trains both kinds.
      Operand<TFloat32> w1 = tf.withName("conv1_w").variable(normal(tf, new long[] {3, 3, 3, 8}, 1));
      VarHandleOp h2 = tf.withName("conv2_w").varHandleOp(TFloat32.class, Shape.of(3, 3, 8, 3),
          VarHandleOp.sharedName("conv2_w"));
      tf.withInitScope().assignVariableOp(h2, normal(tf.withInitScope(), new long[] {3, 3, 8, 3}, 2));
      Operand<TFloat32> w2 = tf.readVariableOp(h2, TFloat32.class);
      Operand<TFloat32> h = tf.nn.relu(tf.nn.conv2d(x, w1, List.of(1L, 1L, 1L, 1L), "SAME"));
      Operand<TFloat32> y = tf.nn.conv2d(h, w2, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> loss = tf.math.mean(tf.math.squaredDifference(y, x), tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {w1.asOutput(), w2.asOutput()});
      s.initialize();

      KernelReport k;
      try (TFloat32 in = image(16, 3).toTensor()) {
        k = KernelReport.of(s, r -> r.feed(x, in).fetch(grads[0]).fetch(grads[1]));
      }

      // One filter gradient per layer; the input gradient of layer 2 (layer 1's is not needed).
      int filter = k.backward().entrySet().stream().filter(e -> e.getKey().contains("BackpropFilter"))
          .mapToInt(Map.Entry::getValue).sum();
      int input = k.backward().entrySet().stream().filter(e -> e.getKey().contains("BackpropInput"))
          .mapToInt(Map.Entry::getValue).sum();
      assertEquals(2, filter, k.summary());
      assertEquals(1, input, k.summary());
      assertEquals(2, k.forward().values().stream().mapToInt(Integer::intValue).sum(), k.summary());
      assertEquals(System.getenv(KernelReport.ONEDNN_ENV), k.onednnEnv());
      assertNotNull(k.onednnEnv(), "pom.xml sets TF_ENABLE_ONEDNN_OPTS for surefire (1 unless the user set it)");
      if ("0".equals(k.onednnEnv())) {
        assertEquals(Map.of("Conv2DBackpropFilter", 2, "Conv2DBackpropInput", 1), k.backward(), k.summary());
        assertFalse(k.backwardOnednn());
        assertTrue(k.warning().orElseThrow().contains("TF_ENABLE_ONEDNN_OPTS=1"), k.warning().orElseThrow());
      } else {
        assertEquals("1", k.onednnEnv());
        assertTrue(k.onednnExpected());
        assertTrue(k.backwardOnednn(), k.summary());
        assertTrue(k.backward().keySet().stream().allMatch(t -> t.startsWith("_Mkl")), k.summary());
        assertTrue(k.summary().startsWith("backward convolutions ran as: _Mkl"), k.summary());
        assertTrue(k.summary().contains("(oneDNN)"), k.summary());
        assertTrue(k.warning().isEmpty(), k.summary());
      }
      System.out.println("KernelReportTest: " + k.summary());
    }
  }

  @Test
  void measuresTheBackwardPassATrainingStepRuns() throws Exception {
    Path dir = TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
    try (SrModel m = SrModel.load(dir)) {
      // What a fine-tuner adds: A (here a fixed 2x2 stride-2 kernel), a loss, gradients, updates that need a
      // learning rate fed.
      Graph g = m.bundle().graph();
      Ops tf = Ops.create(g).withSubScope("train");
      Output<TFloat32> lr = (Output<TFloat32>) (Output<?>) g.operation("lr").output(0);
      Output<TFloat32> sr = (Output<TFloat32>) (Output<?>) g.operation("sr").output(0);
      Operand<TFloat32> a = tf.constant(new float[2][2][3][3]);
      Operand<TFloat32> predicted = tf.nn.conv2d(sr, tf.math.add(a, tf.constant(0.25f)), List.of(1L, 2L, 2L, 1L),
          "VALID");
      Operand<TFloat32> loss = tf.math.mean(tf.math.squaredDifference(predicted, lr),
          tf.constant(new int[] {0, 1, 2, 3}));
      Output<TFloat32> w1 = (Output<TFloat32>) (Output<?>) g.operation("conv1_w").output(0);
      Output<TFloat32> w2 = (Output<TFloat32>) (Output<?>) g.operation("conv2_w").output(0);
      Output<?>[] grads = g.addGradients("train_gradients", new Output<?>[] {loss.asOutput()},
          new Output<?>[] {w1, w2}, null);
      Placeholder<TFloat32> rate = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      tf.train.applyGradientDescent(w1, rate, (Operand<TFloat32>) grads[0]);
      tf.train.applyGradientDescent(w2, rate, (Operand<TFloat32>) grads[1]);

      // The step needs: both filter gradients, the input gradients of conv2 and of A; not A's filter gradient
      // nor conv1's input gradient, which Graph.addGradients adds all the same.
      List<String> types = KernelReport.backwardOps(g).stream().map(n -> g.operation(n).type()).sorted().toList();
      assertEquals(List.of("Conv2DBackpropFilter", "Conv2DBackpropFilter", "Conv2DBackpropInput",
          "Conv2DBackpropInput"), types);

      KernelReport k;
      try (TFloat32 x = image(8, 1).toTensor()) {
        k = KernelReport.ofBackwardPass(m.bundle(), x); // runs without the learning rate fed
      }
      assertEquals(4, k.backward().values().stream().mapToInt(Integer::intValue).sum(), k.summary());
      assertEquals(3, k.forward().values().stream().mapToInt(Integer::intValue).sum(), k.summary());
      assertEquals(!"0".equals(k.onednnEnv()), k.backwardOnednn(), k.summary());

      // The same run traced: the time is spread over the kernels that ran, the gradient convolutions among them.
      StepProfile p;
      try (TFloat32 x = image(8, 1).toTensor()) {
        p = KernelReport.profileBackwardPass(m.bundle(), x);
      }
      assertTrue(p.totalMillis() > 0, p.summary(10));
      assertEquals(p.totalMillis(), p.millisByKernel().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
      for (String backward : k.backward().keySet()) {
        assertTrue(p.millisByKernel().containsKey(backward), backward + " missing from " + p.summary(20));
      }
      List<Double> ms = List.copyOf(p.millisByKernel().values());
      for (int i = 1; i < ms.size(); i++) {
        assertTrue(ms.get(i - 1) >= ms.get(i), "not largest first: " + p.summary(20));
      }
    }
  }

  @Test
  void measuresTheForwardPassWhenTheGraphHasNoGradients() throws Exception {
    Path dir = TinyModels.save(tmp.resolve("tiny-x2"), 2, (tf, x) -> TinyModels.smallConv(tf, x, 2, 3));
    try (SrModel m = SrModel.load(dir); TFloat32 x = image(8, 1).toTensor()) {
      KernelReport k = KernelReport.ofBackwardPass(m.bundle(), x);
      assertTrue(k.backward().isEmpty(), k.summary());
      assertEquals(2, k.forward().values().stream().mapToInt(Integer::intValue).sum(), k.summary());
      assertTrue(k.summary().startsWith("backward convolutions: not measured"), k.summary());
    }
  }

  @Test
  void namesTheCpuAndTheFlagsThatPickOnednnKernels() throws Exception {
    Path amd = Files.writeString(tmp.resolve("cpuinfo-amd"), "processor\t: 0\nmodel name\t: AMD EPYC\n"
        + "flags\t\t: fpu sse avx2 avx512f avx512_vnni avx512_bf16\n");
    assertEquals("AMD EPYC (avx512_vnni avx512_bf16)", KernelReport.cpu(amd));
    Path intel = Files.writeString(tmp.resolve("cpuinfo-intel"), "model name\t: Intel(R) Xeon(R) Platinum\n"
        + "flags\t\t: avx512_vnni avx512_bf16 avx_vnni amx_bf16 amx_tile amx_int8\n");
    assertEquals("Intel(R) Xeon(R) Platinum (avx512_vnni avx512_bf16 avx_vnni amx_tile amx_int8 amx_bf16)",
        KernelReport.cpu(intel));
    assertTrue(KernelReport.cpu(tmp.resolve("missing")).startsWith("unknown CPU (none of avx512_vnni"));
  }

  @Test
  void saysWhenTheGradientConvolutionsArePlain() {
    KernelReport plain = new KernelReport(new TreeMap<>(Map.of("_FusedConv2D", 3)),
        new TreeMap<>(Map.of("Conv2DBackpropFilter", 3, "Conv2DBackpropInput", 2)), null, List.of());
    assertEquals("backward convolutions ran as: Conv2DBackpropFilter x3, Conv2DBackpropInput x2 (plain TensorFlow "
        + "kernels); forward as: _FusedConv2D x3 (plain TensorFlow kernels)", plain.summary());
    assertFalse(plain.backwardOnednn());
    assertFalse(plain.onednnExpected());
    String w = plain.warning().orElseThrow();
    assertTrue(w.startsWith("WARNING: the backward convolutions ran as TensorFlow's plain kernels"), w);
    assertTrue(w.contains("set TF_ENABLE_ONEDNN_OPTS=1") && w.contains("it is unset and this CPU has none of"), w);

    KernelReport off = new KernelReport(new TreeMap<>(Map.of("Conv2D", 1)),
        new TreeMap<>(Map.of("Conv2DBackpropFilter", 1)), "0", List.of("avx512_vnni"));
    assertTrue(off.warning().orElseThrow().contains("it is set to 0 now"), off.warning().orElseThrow());

    KernelReport mixed = new KernelReport(new TreeMap<>(), new TreeMap<>(Map.of("_MklNativeConv2DBackpropFilter", 1,
        "Conv2DBackpropInput", 1)), "1", List.of());
    assertFalse(mixed.backwardOnednn());
    assertTrue(mixed.summary().contains("(partly oneDNN)"), mixed.summary());

    KernelReport forwardOnly = new KernelReport(new TreeMap<>(Map.of("_MklNativeFusedConv2D", 2)), new TreeMap<>(),
        "1", List.of());
    assertFalse(forwardOnly.backwardOnednn());
    assertTrue(forwardOnly.summary().startsWith("backward convolutions: not measured"), forwardOnly.summary());
    assertTrue(forwardOnly.warning().isEmpty());
  }

  @Test
  void readsTheOnednnCpuFlags() throws Exception {
    Path cpuinfo = tmp.resolve("cpuinfo");
    Files.writeString(cpuinfo, "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f avx512_vnni amx_tile\n"
        + "processor\t: 1\nflags\t\t: fpu\n");
    assertEquals(List.of("avx512_vnni", "amx_tile"), KernelReport.onednnCpuFlags(cpuinfo));
    Files.writeString(cpuinfo, "flags\t\t: fpu sse avx2\n");
    assertEquals(List.of(), KernelReport.onednnCpuFlags(cpuinfo));
    assertEquals(List.of(), KernelReport.onednnCpuFlags(tmp.resolve("missing")));
  }
}
