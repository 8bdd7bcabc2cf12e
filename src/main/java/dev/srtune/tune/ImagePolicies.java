package dev.srtune.tune;

import dev.srtune.image.ImageFile;
import dev.srtune.report.RunReport;
import java.util.Map;

/**
 * What fine-tuning adapts to each LR file: its JPEG compression ({@link JpegPolicy}) and its noise level
 * ({@link NoisePolicy}). One image or a folder of them, the same decisions.
 */
public record ImagePolicies(JpegPolicy jpeg, NoisePolicy noise) {
  /** The options for one LR file, and what its report.json records of the file and the decisions. */
  public record Decided(FineTuneOptions options, Map<String, Object> lrFile, Map<String, Object> noise) {
    /** Adds the decisions to {@code report} (then written again by the caller). */
    public void addTo(RunReport report) {
      report.put("lr_file", lrFile);
      if (noise != null) {
        report.put("noise", noise);
      }
    }
  }

  /** The policies that are not the command line's defaults, for a folder's fingerprint (empty when all are). */
  public Map<String, Object> nonDefault() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    if (!jpeg.equals(JpegPolicy.AUTO)) {
      m.put("jpeg", jpeg.spec());
    }
    if (!noise.equals(NoisePolicy.NONE)) {
      m.put("noise", noise.spec());
    }
    return m;
  }

  public Decided decide(FineTuneOptions o, ImageFile file) {
    ImageDecision j = jpeg.decide(o, file);
    ImageDecision n = noise.decide(j.options(), file.image());
    Map<String, Object> lrFile = file.describe();
    lrFile.put("jpeg_model", j.report());
    return new Decided(n.options(), lrFile, n.report());
  }
}
