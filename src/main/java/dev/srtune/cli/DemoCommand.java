package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.degrade.LrSynthesis;
import dev.srtune.eval.ComparisonStrip;
import dev.srtune.eval.Quality;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.report.Outputs;
import dev.srtune.metrics.Psnr;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.TuneJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code srtune demo} (the main job): run a ×4 network at ×2 on its own demo image, before and after
 * fine-tuning (the paper's Section IV-A). The network is EnhanceNet by default; where its weights cannot be
 * fetched the demo says so and runs UpscalerJS' ESRGAN slim from npm instead, which needs nothing but npm.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Fetch the network if missing (EnhanceNet by default, or --model esrgan-slim from npm), make the "
        + "x2 LR of its demo image with the bicubic operator, fine-tune the x4 network built for x2 and write "
        + "before/after/bicubic images, strip.png (bicubic | before | after | HR) and report.json.")
public final class DemoCommand implements Callable<Integer> {
  /**
   * The cap of an unplanned run (--schedule fast or paper): above where fast's stop rule fires (~300 iterations); the
   * paper schedule stops here. A planned run (the default) is bounded by its time budget and has tune's cap.
   */
  static final int DEMO_MAX_ITERS = 400;

  @Option(names = "--model", description = "Demo network: enhancenet or esrgan-slim (default: enhancenet, falling "
      + "back to esrgan-slim where the EnhanceNet weights cannot be fetched).")
  String model;

  @Option(names = "--out", description = "Output folder (default: demo-output/<model>-x<scale>-<time>).")
  Path out;

  @Mixin TuneOptions tune;

  @Override
  public Integer call() throws Exception {
    int s = tune.scaleOr(2);
    Path home = Path.of(System.getProperty("srtune.home", "."));
    DemoModel demo = model != null ? DemoModel.byName(model) : DemoModel.ENHANCENET;
    String[] written = {"hr.png", "lr.png", "bicubic.png", "sr.png", "sr_start.png", "strip.png", "report.json"};
    new Outputs().folder(out != null ? out : home.resolve("demo-output"), "--out", written).check();
    DemoModel.Prepared prepared;
    try {
      prepared = demo.prepare(home, s);
    } catch (UserInputException e) {
      if (model != null) {
        throw e;
      }
      System.err.println("EnhanceNet weights cannot be fetched here, so the demo runs ESRGAN slim from npm instead "
          + "(--model esrgan-slim).");
      demo = DemoModel.ESRGAN_SLIM;
      prepared = demo.prepare(home, s);
    }
    Path folder = out != null ? out : home.resolve("demo-output").resolve(demo.cliName + "-x" + s + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    FineTuneOptions o = tune.toOptions(s, DEMO_MAX_ITERS);
    if (o.timeBudget() != null && tune.maxIters == null) { // a planned run: its budget bounds it, not the demo's cap
      o = o.withMaxIterations(FineTuneOptions.MAX_ITERATIONS_DEFAULT);
    }
    Degradation a = o.operator();
    RgbImage hr = ImageFiles.read(prepared.hr()).modcrop(s);
    RgbImage lr = LrSynthesis.degrade8bit(hr, a);
    RgbImage bicubic = LrSynthesis.bicubicUpscale8bit(lr, s);
    Files.createDirectories(folder);
    ImageFiles.writePng(hr, folder.resolve("hr.png"));
    ImageFiles.writePng(lr, folder.resolve("lr.png"));
    ImageFiles.writePng(bicubic, folder.resolve("bicubic.png"));
    System.err.printf(Locale.ROOT, "fine-tuning %s, LR %dx%d, at most %d iterations%n", prepared.title(),
        lr.height(), lr.width(), o.maxIterations());
    ProgressLine progress = new ProgressLine(System.err, "demo", o, tune.session().precision());
    TuneJob.Outcome res = new TuneJob(prepared.model(), folder.resolve("lr.png"), lr, hr, s, o, folder, null, 10,
        progress).withSession(tune.session()).execute();
    progress.finish();
    var r = res.result();
    // Labelled as eval's strips are: each panel with its HR-PSNR (RGB, as the lines below), a zoomed crop where
    // fine-tuning changed the most.
    double bicubicPsnr = Psnr.rgb(bicubic, hr);
    List<ComparisonStrip.Panel> panels = List.of(
        new ComparisonStrip.Panel(String.format(Locale.ROOT, "bicubic %.2f dB", bicubicPsnr), bicubic),
        new ComparisonStrip.Panel(String.format(Locale.ROOT, "before %.2f dB", res.hrPsnrStart()), r.start()),
        new ComparisonStrip.Panel(String.format(Locale.ROOT, "after %.2f dB", res.hrPsnrEnd()), r.result()),
        new ComparisonStrip.Panel("HR", hr));
    ImageFiles.writePng(ComparisonStrip.strip(panels, ComparisonStrip.mostChanged(r.start(), r.result())),
        folder.resolve("strip.png"));
    System.out.printf(Locale.ROOT, "HR-PSNR %.2f dB before -> %.2f dB after fine-tuning (bicubic %.2f dB)%n",
        res.hrPsnrStart(), res.hrPsnrEnd(), bicubicPsnr);
    // The SR papers' measure too (the paper's tables, the networks table's second number): Y, the scale shaved.
    System.out.printf(Locale.ROOT, "PSNR-Y %.2f dB before -> %.2f dB after (bicubic %.2f dB; BT.601 Y, %d pixels "
        + "shaved)%n", Quality.measure(hr, r.start(), s, null).psnrY(),
        Quality.measure(hr, r.result(), s, null).psnrY(), Quality.measure(hr, bicubic, s, null).psnrY(), s);
    System.out.printf(Locale.ROOT, "%d iterations (%s), %.1f s (%.2f s/iteration)%n", r.iterations(), r.stopReason(),
        r.seconds(), r.secondsPerIteration());
    System.out.println("wrote hr.png, lr.png, bicubic.png, sr_start.png, sr.png, strip.png (bicubic | before | after "
        + "| HR), report.json to " + folder);
    return 0;
  }
}
