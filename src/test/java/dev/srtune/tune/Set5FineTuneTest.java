package dev.srtune.tune;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.BicubicDownsampler;
import dev.srtune.graph.enhancenet.EnhanceNetImporter;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import dev.srtune.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The paper's Section IV-A on two Set5 images: EnhanceNet trained for x4, run at x2 with A = bicubic, fine-tuned
 * for 300 iterations. Minutes per image on a 2-core CPU, so tagged slow; run with
 * {@code mvn test -Dsurefire.excludedGroups= -Dgroups=slow}. Reports land in target/set5-finetune/.
 */
@Tag("slow")
@Tag("integration")
class Set5FineTuneTest {
  static Path model;

  @BeforeAll
  static void buildModel() throws Exception {
    model = Path.of("target", "set5-finetune", "enhancenet-x2");
    if (!Files.exists(model.resolve("saved_model.pb"))) {
      EnhanceNetImporter.build(Shared.enhanceNetCheckpoint(), 2, model);
    }
  }

  @ParameterizedTest(name = "{0}: +{1} dB over start, +{2} dB over bicubic")
  @CsvSource({"butterfly,2.5,1.0", "bird,2.0,-99"})
  void fineTuningAtX2Gains(String image, double minGain, double minOverBicubic) throws Exception {
    int s = 2;
    RgbImage hr = ImageFiles.read(Shared.path("datasets/Set5/" + image + ".png")).modcrop(s);
    BicubicDownsampler a = BicubicDownsampler.matlab(s);
    RgbImage lr = LrSynthesis.degrade8bit(hr, a);
    double bicubic = Psnr.rgb(LrSynthesis.bicubicUpscale8bit(lr, s), hr);
    FineTuneOptions o = FineTuneOptions.defaults(a).withMaxIterations(300).withStopRule(StopRule.none());
    Path out = Path.of("target", "set5-finetune", image + "-x2");
    TuneJob.Outcome r = new TuneJob(model, null, lr, hr, s, o, out, null, 10, IterationListener.none()).execute();
    System.out.printf(Locale.ROOT, "%s x2: HR-PSNR %.3f -> %.3f dB (bicubic %.3f), LR-PSNR %.3f -> %.3f, %.2f s/it%n",
        image, r.hrPsnrStart(), r.hrPsnrEnd(), bicubic, r.result().startRecord().lrPsnr(),
        r.result().finalRecord().lrPsnr(), r.result().secondsPerIteration());
    assertTrue(r.hrPsnrEnd() - r.hrPsnrStart() >= minGain, "gain " + (r.hrPsnrEnd() - r.hrPsnrStart()));
    assertTrue(r.hrPsnrEnd() - bicubic >= minOverBicubic, "over bicubic " + (r.hrPsnrEnd() - bicubic));
  }
}
