package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.testing.TfGraphFiles;
import dev.srtune.tune.FineTuneResult;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frozen GraphDef written by TensorFlow (weights as constants read through Identity, as freeze_graph leaves them) is
 * imported with nothing but the file: input, output and scale are found, the four weight constants become
 * variables, the SavedModel reproduces the frozen graph, and fine-tuning through it changes its output for the better.
 */
class FrozenGraphImportTest {
  @TempDir static Path tmp;
  static Path frozen;
  static Path model;
  static GraphImport.Imported imported;

  @BeforeAll
  static void importFrozenGraph() throws Exception {
    frozen = TfGraphFiles.writeFrozen(tmp.resolve("espcn_x2.pb"), TfGraphFiles.Weights.random(8, 1));
    model = tmp.resolve("model");
    imported = FrozenGraphImporter.build(frozen, GraphImport.Options.found(), model);
  }

  @Test
  void findsInputOutputAndScaleAndThawsTheFourWeights() {
    assertEquals(TfGraphFiles.INPUT, imported.input());
    assertEquals(TfGraphFiles.OUTPUT, imported.output());
    assertEquals(2, imported.scale());
    assertEquals(4, imported.variables());
    try (SrModel m = SrModel.load(model)) {
      assertEquals(2, m.scale());
      assertEquals("espcn_x2", m.name());
    }
  }

  @Test
  void reproducesTheFrozenGraph() throws Exception {
    RgbImage lr = TfGraphFiles.noise(13, 11, 5);
    float[] expected = TfGraphFiles.runFrozen(frozen, lr);
    float[] got = ImportedModels.superResolve(model, lr);
    double err = ImportedModels.maxAbsDifference(expected, got);
    System.out.println("frozen GraphDef import: max abs error " + err);
    assertTrue(err <= 1e-5, "max abs error " + err);
  }

  @Test
  void fineTuningRaisesLrPsnr() {
    FineTuneResult r = ImportedModels.fineTune(model, TfGraphFiles.noise(12, 12, 7), 12, 0.05);
    double start = r.startRecord().lrPsnr();
    double end = r.finalRecord().lrPsnr();
    System.out.printf("frozen GraphDef import: LR-PSNR %.3f -> %.3f dB%n", start, end);
    assertTrue(end > start + 0.1, "LR-PSNR " + start + " -> " + end);
  }
}
