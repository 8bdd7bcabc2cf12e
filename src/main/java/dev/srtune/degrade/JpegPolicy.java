package dev.srtune.degrade;

import dev.srtune.UserInputException;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.JpegDegradation;
import dev.srtune.graph.degradation.JpegModel;
import dev.srtune.image.ImageFile;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whether the image formation model includes the LR's JPEG compression ({@code --jpeg}): {@code auto} uses a JPEG
 * file's own tables and subsampling (and nothing for other files), {@code none} never, {@code quality:Q} libjpeg's
 * tables at quality Q with 4:2:0 for an LR that was a JPEG before it became this file.
 *
 * @param mode {@code auto}, {@code none} or {@code quality}
 * @param quality Q for {@code quality}, else 0
 */
public record JpegPolicy(String mode, int quality) {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(JpegPolicy.class);
  public static final JpegPolicy AUTO = new JpegPolicy("auto", 0);
  public static final JpegPolicy NONE = new JpegPolicy("none", 0);

  /** {@code auto}, {@code none} or {@code quality:Q} (1..100); one sentence for anything else. */
  public static JpegPolicy parse(String s) {
    String t = s == null ? "auto" : s.trim().toLowerCase(Locale.ROOT);
    if (t.equals("auto")) {
      return AUTO;
    }
    if (t.equals("none")) {
      return NONE;
    }
    if (t.startsWith("quality:")) {
      try {
        int q = Integer.parseInt(t.substring("quality:".length()).trim());
        if (q >= 1 && q <= 100) {
          return new JpegPolicy("quality", q);
        }
      } catch (NumberFormatException e) {
        // falls through to the sentence below
      }
    }
    throw new UserInputException("--jpeg must be auto, none or quality:Q with Q from 1 to 100, not '" + s + "'.");
  }

  /** What the policy decided for one LR file: the operator, and what report.json records of it. */
  public record Decision(Degradation operator, Map<String, Object> report) {}

  /** A for the LR {@code file}: {@code a} itself, or JPEG ∘ {@code a}. */
  public Decision decide(Degradation a, ImageFile file) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", mode.equals("quality") ? "quality:" + quality : mode);
    JpegModel model = null;
    if (mode.equals("quality")) {
      model = JpegModel.ijg(quality);
    } else if (mode.equals("auto")) {
      String[] why = new String[1];
      model = JpegModels.of(file, why);
      if (model == null) {
        m.put("modelled", false);
        m.put("why_not", why[0]);
        if (file.jpeg().isPresent()) {
          LOG.info("A leaves out the LR's JPEG compression: {}", why[0]);
        }
      }
    }
    if (model == null) {
      m.putIfAbsent("modelled", false);
      return new Decision(a, m);
    }
    m.put("modelled", true);
    m.put("spec", model.spec());
    LOG.info("A includes the LR's JPEG compression ({}){}", model.spec(),
        mode.equals("auto") ? "; --jpeg none leaves it out" : "");
    return new Decision(new JpegDegradation(a, model), m);
  }
}
