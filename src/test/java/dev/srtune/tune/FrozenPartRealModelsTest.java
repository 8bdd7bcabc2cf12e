package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.cli.Main;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.testing.Shared;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The frozen part computed once, on each real frozen graph of {@code ../shared/models/tf-real/} (built as a user
 * builds it): training the last quarter of its layers, a whole-image measurement fed the frozen part's features
 * gives the LR-PSNR the whole network's own pass gives (a second tuner on the same session, training everything, so
 * nothing is fed), and the feeding found something to feed.
 */
@Tag("integration")
class FrozenPartRealModelsTest {
  @TempDir static Path tmp;

  static Stream<Path> frozenGraphs() throws IOException {
    try (Stream<Path> s = Files.walk(Shared.path("models/tf-real"))) {
      return s.filter(p -> p.toString().endsWith(".pb")).sorted().toList().stream();
    }
  }

  private static org.tensorflow.Output<?> output(org.tensorflow.Graph g, String name) {
    int colon = name.lastIndexOf(':');
    return g.operation(colon < 0 ? name : name.substring(0, colon))
        .output(colon < 0 ? 0 : Integer.parseInt(name.substring(colon + 1)));
  }

  @ParameterizedTest
  @MethodSource("frozenGraphs")
  void aMeasurementFedTheFrozenPartIsTheNetworksOwn(Path file) throws Exception {
    Path dir = tmp.resolve(file.getFileName().toString().replace('.', '_'));
    assertEquals(0, Main.run("build", "graphdef", "--graph", file.toString(), "--out", dir.toString()));
    RgbImage y = ImageFiles.read(Shared.path("datasets/Set5/bird.png")).crop(16, 16, 96, 96);
    try (SrModel m = SrModel.load(dir)) {
      FineTuneOptions base = Schedules.fast(
          dev.srtune.graph.degradation.Degradations.downsampler("bicubic", m.scale()));
      try (FineTuner part = FineTuner.attach(m.bundle(), base.withTrainLayers(BudgetPlanner.CHEAPER_LAYERS));
          FineTuner whole = FineTuner.attach(m.bundle(), base)) {
        double fed = part.evaluate(y, 0, 0).lrPsnr();
        double own = whole.evaluate(y, 0, 0).lrPsnr();
        System.out.printf("%s x%d: LR-PSNR fed %.6f, own pass %.6f dB%n", file.getFileName(), m.scale(), fed, own);
        assertEquals(own, fed, 1e-3, file.getFileName().toString());
        // the same frontier, found again, has something image-like to feed on this graph
        org.tensorflow.Graph g = m.bundle().graph();
        var sig = m.bundle().metaGraphDef().getSignatureDefMap().get(dev.srtune.graph.savedmodel.SrSignature.KEY);
        org.tensorflow.Output<?> lr = output(g, sig.getInputsMap().get(dev.srtune.graph.savedmodel.SrSignature.INPUT)
            .getName());
        org.tensorflow.Output<?> sr = output(g, sig.getOutputsMap().get(
            dev.srtune.graph.savedmodel.SrSignature.OUTPUT).getName());
        PrefixFeatures p = PrefixFeatures.of(g, lr, sr, part.variables(), false); // the last quarter's variables
        java.util.List<org.tensorflow.Tensor> open = new java.util.ArrayList<>();
        try (org.tensorflow.types.TFloat32 x = y.toTensor()) {
          assertTrue(p.feed(m.bundle().session(), m.bundle().session().runner(), x, y,
              java.util.List.of(Window.whole(y.height(), y.width())), open),
              file.getFileName() + ": nothing of the frozen part could be fed");
        } finally {
          open.forEach(org.tensorflow.Tensor::close);
        }
      }
    }
  }
}
