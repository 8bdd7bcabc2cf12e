package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.testing.TfGraphFiles;
import dev.srtune.tune.FineTuneResult;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A TF2/Keras-style SavedModel written by TensorFlow Java (resource variables captured by a
 * {@code StatefulPartitionedCall} of the network's function, which nests a {@code PartitionedCall} for its first
 * block) is imported with nothing but its folder: both calls are inlined, the SavedModel holds plain ops and the
 * variables' restored values, reproduces the original (and the same network written frozen, computed apart), and
 * fine-tunes — where the original cannot even be differentiated through its call op.
 */
class SavedModelImportTest {
  @TempDir static Path tmp;
  static final TfGraphFiles.Weights WEIGHTS = TfGraphFiles.Weights.random(8, 4);
  static Path original;
  static Path model;
  static GraphImport.Imported imported;

  @BeforeAll
  static void importSavedModel() throws Exception {
    original = TfGraphFiles.writeFunctionSavedModel(tmp.resolve("keras_x2"), WEIGHTS);
    model = tmp.resolve("model");
    imported = SavedModelImporter.build(original, null, GraphImport.Options.found(), model);
  }

  @Test
  void inlinesBothCallsAndKeepsTheVariablesAsVariables() {
    assertEquals("serving_default_" + TfGraphFiles.FUNCTION_INPUT, imported.input());
    assertEquals("Identity", imported.output());
    assertEquals(2, imported.scale());
    assertEquals(4, imported.variables());
    assertEquals(2, imported.functionsInlined());
    Set<String> types = new HashSet<>();
    int[] variables = {0};
    try (SrModel m = SrModel.load(model)) {
      m.bundle().graph().operations().forEachRemaining(op -> {
        types.add(op.type());
        variables[0] += op.type().equals("VariableV2") ? 1 : 0;
      });
      assertEquals(0, m.bundle().metaGraphDef().getGraphDef().getLibrary().getFunctionCount());
      assertEquals("keras_x2", m.name());
      assertEquals("2", String.valueOf(m.metadata().get("functions_inlined")).replace(".0", ""));
    }
    assertTrue(types.contains("DepthToSpace") && types.contains("Conv2D"), types.toString());
    assertTrue(types.stream().noneMatch(t -> t.contains("PartitionedCall")), types.toString());
    assertEquals(4, variables[0]);
  }

  @Test
  void reproducesTheOriginalSavedModel() throws Exception {
    RgbImage lr = TfGraphFiles.noise(11, 13, 5);
    float[] expected = TfGraphFiles.runSavedModel(original, "serving_default", lr);
    float[] frozen = TfGraphFiles.runFrozen(TfGraphFiles.writeFrozen(tmp.resolve("same.pb"), WEIGHTS), lr);
    assertTrue(ImportedModels.maxAbsDifference(expected, frozen) <= 1e-5, "the fixture computes the network");
    float[] got = ImportedModels.superResolve(model, lr);
    double err = ImportedModels.maxAbsDifference(expected, got);
    System.out.println("function-based SavedModel import: max abs error " + err);
    assertTrue(err <= 1e-5, "max abs error " + err);
  }

  @Test
  void fineTuningRaisesLrPsnr() {
    FineTuneResult r = ImportedModels.fineTune(model, TfGraphFiles.noise(12, 12, 7), 12, 0.05);
    double start = r.startRecord().lrPsnr();
    double end = r.finalRecord().lrPsnr();
    System.out.printf("function-based SavedModel import: LR-PSNR %.3f -> %.3f dB%n", start, end);
    assertTrue(end > start + 0.1, "LR-PSNR " + start + " -> " + end);
  }

  /**
   * Why the calls must go: through the call op TensorFlow differentiates with a {@code SymbolicGradient} of the
   * function, which fails at run time on this network.
   */
  @Test
  void theOriginalCannotBeDifferentiatedThroughItsCall() {
    try (SavedModelBundle b = SavedModelBundle.load(original.toString(), "serve");
        TFloat32 lr = TfGraphFiles.tensor(TfGraphFiles.noise(6, 6, 1))) {
      var g = b.graph();
      Ops tf = Ops.create(g);
      Output<?> out = g.operation("Identity").output(0);
      Output<?>[] grads = g.addGradients(tf.sum((org.tensorflow.Operand<TFloat32>) (Object) out,
          tf.constant(new int[] {0, 1, 2, 3})).asOutput(), new Output<?>[] {g.operation("conv2_w").output(0)});
      Exception e = assertThrows(Exception.class, () -> {
        try (var r = b.session().runner().feed("serving_default_" + TfGraphFiles.FUNCTION_INPUT, lr).fetch(grads[0])
            .run()) {
          Tensor t = r.get(0);
          assertNull(t, "gradient unexpectedly computed");
        }
      });
      System.out.println("gradient through the call op: " + e.getMessage().lines().findFirst().orElse(""));
      assertTrue(e.getMessage().contains("SymbolicGradient"), e.getMessage());
    }
  }

  @Test
  void anUnknownSignatureIsRefusedNamingTheOnesThereAre() {
    GraphImportException e = assertThrows(GraphImportException.class, () -> SavedModelImporter.build(original,
        "predict", GraphImport.Options.found(), tmp.resolve("never")));
    assertTrue(e.getMessage().contains("no signature 'predict'; pass --signature with one of: serving_default"),
        e.getMessage());
    assertTrue(java.nio.file.Files.notExists(tmp.resolve("never")));
  }

  /**
   * A body reference into a list output ({@code split:output:2}, FunctionDef's form) becomes the right flat output:
   * the body reverses the channels through a three-way Split, so a wrong index would change the image.
   */
  @Test
  void listOutputsOfBodyOpsAreResolvedToTheirFlatIndex() throws Exception {
    float[] w = java.util.Arrays.copyOf(TfGraphFiles.Weights.random(4, 9).w2(), 324);
    try (TFloat32 kernel = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(3, 3, 3, 12),
        org.tensorflow.ndarray.buffer.DataBuffers.of(w))) {
      Path sm = TfGraphFiles.writeFunctionSavedModel(tmp.resolve("split"), Map.of("x",
          org.tensorflow.ndarray.Shape.of(1, -1, -1, 3)), Map.of("kernel", kernel), (tf, in, v) -> {
            var parts = tf.split(tf.constant(3), in.get("x"), 3L).output();
            var bgr = tf.concat(java.util.List.of(parts.get(2), parts.get(1), parts.get(0)), tf.constant(3));
            return Map.of("y", tf.nn.depthToSpace(tf.nn.conv2d(bgr, v.apply("kernel"),
                java.util.List.of(1L, 1L, 1L, 1L), "SAME"), 2L));
          });
      Path out = tmp.resolve("split-model");
      SavedModelImporter.build(sm, null, GraphImport.Options.found(), out);
      RgbImage lr = TfGraphFiles.noise(5, 7, 2);
      float[] expected;
      try (SavedModelBundle b = SavedModelBundle.load(sm.toString(), "serve"); TFloat32 x = TfGraphFiles.tensor(lr);
          var r = b.function("serving_default").call(Map.of("x", x))) {
        TFloat32 t = (TFloat32) r.get("y").orElseThrow();
        expected = new float[(int) t.shape().size()];
        t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(expected, false, false));
      }
      double err = ImportedModels.maxAbsDifference(expected, ImportedModels.superResolve(out, lr));
      assertTrue(err <= 1e-6, "max abs error " + err);
    }
  }
}
