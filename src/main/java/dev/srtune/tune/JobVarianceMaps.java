package dev.srtune.tune;

import dev.srtune.graph.savedmodel.SrSavedModelWriter;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.tune.loss.LossTerm;
import dev.srtune.tune.loss.VarianceMask;
import dev.srtune.tune.loss.WeightedDataFidelity;
import dev.srtune.uncertainty.BeforeAfterFigure;
import dev.srtune.uncertainty.McDropoutSettings;
import dev.srtune.uncertainty.UncertaintyEstimate;
import dev.srtune.uncertainty.VariancePicture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A {@link TuneJob}'s Monte-Carlo dropout variance maps: of the pretrained network (for {@code --uncertainty} and for
 * {@code --mask} loss terms), of the fine-tuned one, and the files and report entry they make.
 *
 * @param uncertainty the settings of {@code --uncertainty}, or null when only masks need maps
 */
record JobVarianceMaps(RgbImage lr, int scale, Path out, McDropoutSettings uncertainty) {
  private static final Logger LOG = LogManager.getLogger(JobVarianceMaps.class);

  /** Replaces each {@link VarianceMask} by its weighted term, from {@code before} when made with the same settings. */
  FineTuneOptions resolveMasks(FineTuneOptions o, SrModel m, UncertaintyEstimate before) {
    if (o.lossTerms().stream().noneMatch(VarianceMask.class::isInstance)) {
      return o;
    }
    List<LossTerm> resolved = new ArrayList<>();
    for (LossTerm t : o.lossTerms()) {
      if (t instanceof VarianceMask v) {
        UncertaintyEstimate map = before != null && v.dropout().equals(uncertainty) ? before
            : estimate(v.dropout(), m, "pretrained, for the loss mask");
        WeightedDataFidelity w = v.resolve(map, scale);
        LOG.info("loss mask {}: mean weight {}, {}% of LR pixels weighted", v.spec(),
            String.format(Locale.ROOT, "%.3f", w.weights().mean()),
            String.format(Locale.ROOT, "%.1f", 100 * w.weights().nonZeroFraction()));
        resolved.add(w);
      } else {
        resolved.add(t);
      }
    }
    return o.withLossTerms(resolved);
  }

  UncertaintyEstimate estimate(McDropoutSettings settings, SrModel m, String which) {
    long[] last = {0};
    UncertaintyEstimate e = settings.estimate(m, lr, (done, total, seconds) -> {
      long now = System.nanoTime();
      if (done == total || now - last[0] > 5_000_000_000L) {
        last[0] = now;
        LOG.info("variance map ({}): {}/{} passes, {} s", which, done, total,
            String.format(Locale.ROOT, "%.1f", seconds));
      }
    });
    return e;
  }

  /**
   * The fine-tuned network's variance map. {@link dev.srtune.uncertainty.McDropoutNetwork} re-imports a model's
   * saved graph and restores its weights from the checkpoint, so the tuned weights are exported to a temporary
   * SavedModel first (one checkpoint write, about 3 MB for EnhanceNet): the before and after maps then come out of
   * the same graph surgery and the same restore op, differing only in the checkpoint read. Copying the values from
   * the tuning session into the dropout graph would need assign ops per variable kind (ref, resource) in that graph:
   * a second path to keep equal to the first.
   */
  UncertaintyEstimate estimateFineTuned(FineTuner tuner, SrModel m) throws IOException {
    Path tmp = Files.createTempDirectory("srtune-finetuned-");
    try {
      Path dir = tmp.resolve("model");
      tuner.export(dir, m.metadata());
      try (SrModel tuned = SrModel.load(dir)) {
        return estimate(uncertainty, tuned, "fine-tuned");
      }
    } finally {
      SrSavedModelWriter.deleteRecursively(tmp);
    }
  }

  /** Writes the maps and the strip; returns what report.json records of them. */
  Map<String, Object> write(FineTuneResult r, UncertaintyEstimate before, UncertaintyEstimate after)
      throws IOException {
    double top = BeforeAfterFigure.sharedTop(before, after);
    ImageFiles.writePng(VariancePicture.draw(before.variance(), before.height(), before.width(), top),
        out.resolve("uncertainty_start.png"));
    ImageFiles.writePng(VariancePicture.draw(after.variance(), after.height(), after.width(), top),
        out.resolve("uncertainty.png"));
    ImageFiles.writePng(BeforeAfterFigure.draw(r.start(), r.result(), before, after, top),
        out.resolve("uncertainty_strip.png"));
    Npy.write(out.resolve("variance_start.npy"), new int[] {before.height(), before.width()}, before.variance());
    Npy.write(out.resolve("variance.npy"), new int[] {after.height(), after.width()}, after.variance());
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("passes", uncertainty.passes());
    u.put("dropout", uncertainty.rate());
    u.put("seed", uncertainty.seed());
    u.put("placement", uncertainty.placement().describe());
    u.put("definition", "population variance over passes of each RGB channel of the outputs clipped to [0,1], "
        + "averaged over the channels; same seed, rate and placement before and after");
    u.put("mean_variance", startEnd(before.meanVariance(), after.meanVariance()));
    u.put("p99_variance", startEnd(before.percentile(99), after.percentile(99)));
    u.put("picture_black_at", top);
    u.put("seconds", startEnd(before.seconds(), after.seconds()));
    return u;
  }

  /** Unrounded (RunReport.startEnd keeps 5 decimals; variances are around 1e-5). */
  private static Map<String, Object> startEnd(double start, double end) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", start);
    m.put("end", end);
    return m;
  }
}
