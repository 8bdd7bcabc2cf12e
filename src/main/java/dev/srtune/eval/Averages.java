package dev.srtune.eval;

import java.util.List;
import java.util.function.Function;

/**
 * Means over the finished images, as the paper's tables report them. A mean of a column with a missing value is
 * null (not the mean of the rest), so a table never silently averages over fewer images than it claims.
 */
public record Averages(int images, Quality bicubic, Quality start, Quality end, double lrPsnrStart,
    double lrPsnrEnd, Double lrLpipsStart, Double lrLpipsEnd, double iterations, double seconds) {

  public static Averages of(List<ImageResult> results) {
    return new Averages(results.size(),
        quality(results, ImageResult::bicubic), quality(results, ImageResult::start), quality(results, ImageResult::end),
        orNaN(mean(results, ImageResult::lrPsnrStart)), orNaN(mean(results, ImageResult::lrPsnrEnd)),
        mean(results, ImageResult::lrLpipsStart), mean(results, ImageResult::lrLpipsEnd),
        orNaN(mean(results, r -> (double) r.iterations())), orNaN(mean(results, ImageResult::seconds)));
  }

  private static Quality quality(List<ImageResult> results, Function<ImageResult, Quality> q) {
    return new Quality(mean(results, r -> q.apply(r).psnrRgb()), mean(results, r -> q.apply(r).psnrY()),
        mean(results, r -> q.apply(r).ssimY()), mean(results, r -> q.apply(r).lpips()));
  }

  static Double mean(List<ImageResult> results, Function<ImageResult, Double> f) {
    if (results.isEmpty()) {
      return null;
    }
    double sum = 0;
    for (ImageResult r : results) {
      Double v = f.apply(r);
      if (v == null) {
        return null;
      }
      sum += v;
    }
    return sum / results.size();
  }

  private static double orNaN(Double v) {
    return v == null ? Double.NaN : v;
  }
}
