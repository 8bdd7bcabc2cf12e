package dev.srtune.cli;

import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.enhancenet.EnhanceNetImporter;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import dev.srtune.model.ModelStore;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.TuneJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code srtune demo} (the main job): run the ×4 EnhanceNet at ×2 on its own demo image, before and after
 * fine-tuning (the paper's Section IV-A).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Fetch EnhanceNet if missing, make the x2 LR of its demo image eagle.png with the bicubic operator, "
        + "fine-tune the x4 network built for x2 and write before/after/bicubic images and report.json.")
public final class DemoCommand implements Callable<Integer> {
  static final int DEMO_MAX_ITERS = 150;

  @Option(names = "--out", description = "Output folder (default: demo-output/enhancenet-x2-<time>).")
  Path out;

  @Mixin TuneOptions tune;

  @Override
  public Integer call() throws Exception {
    int s = tune.scaleOr(2);
    Path home = Path.of(System.getProperty("srtune.home", "."));
    Path folder = out != null ? out : home.resolve("demo-output").resolve("enhancenet-x" + s + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Path weights = ModelStore.ensure(ModelStore.ENHANCENET_WEIGHTS);
    Path eagle = ModelStore.ensure(ModelStore.ENHANCENET_EAGLE);
    Path model = home.resolve("saved-models").resolve("enhancenet-x" + s);
    if (!Files.isRegularFile(model.resolve("saved_model.pb"))) {
      System.err.println("building EnhanceNet for x" + s + " into " + model);
      EnhanceNetImporter.build(weights, s, model);
    }
    FineTuneOptions o = tune.toOptions(s, DEMO_MAX_ITERS);
    Degradation a = o.operator();
    RgbImage hr = ImageFiles.read(eagle).modcrop(s);
    RgbImage lr = LrSynthesis.degrade8bit(hr, a);
    RgbImage bicubic = LrSynthesis.bicubicUpscale8bit(lr, s);
    Files.createDirectories(folder);
    ImageFiles.writePng(hr, folder.resolve("hr.png"));
    ImageFiles.writePng(lr, folder.resolve("lr.png"));
    ImageFiles.writePng(bicubic, folder.resolve("bicubic.png"));
    System.err.printf(Locale.ROOT, "fine-tuning EnhanceNet (x4 network at x%d) on eagle.png, LR %dx%d, at most %d "
        + "iterations%n", s, lr.height(), lr.width(), o.maxIterations());
    ProgressLine progress = new ProgressLine(System.err, "demo");
    TuneJob.Outcome res = new TuneJob(model, folder.resolve("lr.png"), lr, hr, s, o, folder, null, 10, progress)
        .execute();
    progress.finish();
    var r = res.result();
    System.out.printf(Locale.ROOT, "HR-PSNR %.2f dB before -> %.2f dB after fine-tuning (bicubic %.2f dB)%n",
        res.hrPsnrStart(), res.hrPsnrEnd(), Psnr.rgb(bicubic, hr));
    System.out.printf(Locale.ROOT, "%d iterations (%s), %.1f s (%.2f s/iteration)%n", r.iterations(), r.stopReason(),
        r.seconds(), r.secondsPerIteration());
    System.out.println("wrote hr.png, lr.png, bicubic.png, sr_start.png, sr.png, report.json to " + folder);
    return 0;
  }
}
