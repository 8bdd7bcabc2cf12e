package dev.srtune.eval;

import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Per image {@code strip.png} (bicubic | before | after | HR with a zoomed crop), {@code crops.png} (the crops only)
 * and {@code curve.png}, made from the files the image's evaluation stored, so they can be remade at any time.
 */
final class EvalPictures {
  private final ResultStore store;
  private final int scale;

  EvalPictures(ResultStore store, int scale) {
    this.store = store;
    this.scale = scale;
  }

  /** @param hrFiles the dataset's HR file of each image (the HR images are not copied into the output) */
  void writeAll(List<ImageResult> results, Map<String, Path> hrFiles) throws IOException {
    for (ImageResult r : results) {
      write(r, hrFiles.get(r.name()));
    }
  }

  void write(ImageResult r, Path hrFile) throws IOException {
    Path dir = store.imageDir(r.name());
    Path strip = dir.resolve("strip.png");
    Path result = store.resultFile(r.name());
    // Pictures are a pure function of the stored files: skip when already newer than the result.
    if (Files.exists(strip) && Files.exists(dir.resolve("curve.png"))
        && Files.getLastModifiedTime(strip).compareTo(Files.getLastModifiedTime(result)) >= 0) {
      return;
    }
    RgbImage bicubic = ImageFiles.read(dir.resolve("bicubic.png"));
    RgbImage before = ImageFiles.read(dir.resolve("sr_start.png"));
    RgbImage after = ImageFiles.read(dir.resolve("sr.png"));
    RgbImage hr = hrFile == null || !Files.exists(hrFile) ? null : ImageFiles.read(hrFile).modcrop(scale);
    List<ComparisonStrip.Panel> panels = List.of(
        new ComparisonStrip.Panel("bicubic " + EvalReport.db(r.bicubic().psnrY()), bicubic),
        new ComparisonStrip.Panel("before " + EvalReport.db(r.start().psnrY()), before),
        new ComparisonStrip.Panel("after " + EvalReport.db(r.end().psnrY()), after),
        new ComparisonStrip.Panel(hr == null ? "HR (not found)" : "HR", hr == null ? after : hr));
    ComparisonStrip.Box box = ComparisonStrip.mostChanged(before, after);
    ImageFiles.writePng(ComparisonStrip.strip(panels, box), strip);
    ImageFiles.writePng(ComparisonStrip.crops(panels, box), dir.resolve("crops.png"));
    String title = String.format(Locale.ROOT, "%s x%d: %d iterations (%s)", r.name(), scale, r.iterations(),
        r.stopReason());
    ImageFiles.writePng(CurvePlot.draw(title, r.curve()), dir.resolve("curve.png"));
  }
}
