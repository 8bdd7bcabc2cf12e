package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.testing.TfGraphFiles;
import dev.srtune.tune.FineTuneResult;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TF1-style meta graph + checkpoint written by TensorFlow (ref variables, a loss on an {@code hr} placeholder,
 * gradient-descent training ops, a summary and a saver; one training step taken before saving) is imported with
 * nothing but the file: the SavedModel holds only the inference subgraph, its variables hold the checkpoint's values
 * (not the initial ones), it reproduces the original restored by its own saver, and it fine-tunes.
 */
class MetaGraphImportTest {
  @TempDir static Path tmp;
  static final TfGraphFiles.Weights INITIAL = TfGraphFiles.Weights.random(8, 2);
  static Path meta;
  static Path model;
  static GraphImport.Imported imported;

  @BeforeAll
  static void importMetaGraph() throws Exception {
    meta = TfGraphFiles.writeMetaGraph(tmp.resolve("train"), INITIAL);
    model = tmp.resolve("model");
    imported = MetaGraphImporter.build(meta, MetaGraphImporter.defaultCheckpoint(meta), GraphImport.Options.found(),
        model);
  }

  @Test
  void findsTheNetworkBesideTheTrainingGraphAndKeepsOnlyIt() {
    assertEquals(TfGraphFiles.INPUT, imported.input(), "the hr placeholder feeds only the loss, not an output");
    assertEquals(TfGraphFiles.OUTPUT, imported.output());
    assertEquals(2, imported.scale());
    assertEquals(4, imported.variables());
    Set<String> types = new HashSet<>();
    try (SrModel m = SrModel.load(model)) {
      m.bundle().graph().operations().forEachRemaining(op -> types.add(op.type()));
      assertNull(m.bundle().graph().operation("net/hr"));
      assertNull(m.bundle().graph().operation("net/loss"));
    }
    assertTrue(types.stream().noneMatch(t -> t.startsWith("Apply") || t.endsWith("Summary")), types.toString());
  }

  @Test
  void reproducesTheMetaGraphRestoredByItsOwnSaver() throws Exception {
    RgbImage lr = TfGraphFiles.noise(9, 14, 5);
    float[] expected = TfGraphFiles.runMetaGraph(meta, MetaGraphImporter.defaultCheckpoint(meta).toString(), lr);
    float[] got = ImportedModels.superResolve(model, lr);
    double err = ImportedModels.maxAbsDifference(expected, got);
    System.out.println("TF1 meta graph + checkpoint import: max abs error " + err);
    assertTrue(err <= 1e-5, "max abs error " + err);
    // The checkpoint was saved after a training step: the initial weights give a visibly different image.
    float[] initial = TfGraphFiles.runFrozen(TfGraphFiles.writeFrozen(tmp.resolve("initial.pb"), INITIAL), lr);
    assertTrue(ImportedModels.maxAbsDifference(initial, got) > 1e-3, "the checkpoint's values were restored");
  }

  @Test
  void fineTuningRaisesLrPsnr() {
    FineTuneResult r = ImportedModels.fineTune(model, TfGraphFiles.noise(12, 12, 7), 12, 0.05);
    double start = r.startRecord().lrPsnr();
    double end = r.finalRecord().lrPsnr();
    System.out.printf("TF1 meta graph + checkpoint import: LR-PSNR %.3f -> %.3f dB%n", start, end);
    assertTrue(end > start + 0.1, "LR-PSNR " + start + " -> " + end);
  }

  /**
   * Resource variables ({@code VarHandleOp}) saved by the graph's own {@code SaveV2}, with no {@code saver_def}: the
   * importer restores them by name and makes them ref variables, and the result reproduces and fine-tunes the same.
   */
  @Test
  void resourceVariablesWithoutASaverAreRestoredByName() throws Exception {
    Path resourceMeta = TfGraphFiles.writeMetaGraph(tmp.resolve("resource"), INITIAL, false);
    Path out = tmp.resolve("resource-model");
    GraphImport.Imported imp = MetaGraphImporter.build(resourceMeta,
        MetaGraphImporter.defaultCheckpoint(resourceMeta), GraphImport.Options.found(), out);
    assertEquals(4, imp.variables());
    RgbImage lr = TfGraphFiles.noise(9, 14, 5);
    float[] expected = TfGraphFiles.runMetaGraph(resourceMeta,
        MetaGraphImporter.defaultCheckpoint(resourceMeta).toString(), lr);
    double err = ImportedModels.maxAbsDifference(expected, ImportedModels.superResolve(out, lr));
    System.out.println("TF1 meta graph (resource variables, no saver) import: max abs error " + err);
    assertTrue(err <= 1e-5, "max abs error " + err);
    FineTuneResult r = ImportedModels.fineTune(out, TfGraphFiles.noise(12, 12, 7), 12, 0.05);
    System.out.printf("TF1 meta graph (resource variables) import: LR-PSNR %.3f -> %.3f dB%n",
        r.startRecord().lrPsnr(), r.finalRecord().lrPsnr());
    assertTrue(r.finalRecord().lrPsnr() > r.startRecord().lrPsnr() + 0.1);
  }
}
