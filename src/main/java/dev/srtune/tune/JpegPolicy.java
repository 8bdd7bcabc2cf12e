package dev.srtune.tune;

import dev.srtune.UserInputException;
import dev.srtune.degrade.JpegModels;
import dev.srtune.graph.degradation.JpegDegradation;
import dev.srtune.graph.degradation.JpegModel;
import dev.srtune.image.ImageFile;
import dev.srtune.tune.loss.DataFidelity;
import dev.srtune.tune.loss.JpegConsistency;
import dev.srtune.tune.loss.LossTerm;
import dev.srtune.tune.loss.TotalVariationTerm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Whether and how fine-tuning models the LR's JPEG compression ({@code --jpeg}): {@code auto} uses a JPEG file's
 * own tables and subsampling (and nothing for other files), {@code none} never, {@code quality:Q} libjpeg's tables
 * at quality Q with 4:2:0 for an LR that was a JPEG before it became this file. The model enters as {@link Fit}
 * says.
 *
 * @param mode {@code auto}, {@code none} or {@code quality}
 * @param quality Q for {@code quality}, else 0
 * @param fit how the compression enters the objective
 * @param rounding how A's JPEG rounds the quantised coefficients ({@link Fit#OPERATOR})
 */
public record JpegPolicy(String mode, int quality, Fit fit, JpegModel.Rounding rounding) {
  private static final Logger LOG = LogManager.getLogger(JpegPolicy.class);
  /** The TV weight a modelled JPEG gets unless --tv is given. */
  public static final double TV_WITH_JPEG = 0.003;

  /** How the JPEG model enters the objective. */
  public enum Fit {
    /** A = JPEG ∘ D ∘ B, fitted with the plain data term: the whole-image LR-PSNR is that of JPEG(A f(y)). */
    OPERATOR,
    /**
     * The plain data term replaced by the distance of A f(y) to the file's quantisation bins
     * ({@link JpegConsistency}); the whole-image LR-PSNR stays that of D∘B f(y) against y.
     */
    CONSISTENCY
  }

  public static final JpegPolicy AUTO = new JpegPolicy("auto", 0, Fit.OPERATOR, JpegModel.Rounding.STRAIGHT_THROUGH);
  public static final JpegPolicy NONE = new JpegPolicy("none", 0, Fit.OPERATOR, JpegModel.Rounding.STRAIGHT_THROUGH);

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
          return new JpegPolicy("quality", q, AUTO.fit, AUTO.rounding);
        }
      } catch (NumberFormatException e) {
        // falls through to the sentence below
      }
    }
    throw new UserInputException("--jpeg must be auto, none or quality:Q with Q from 1 to 100, not '" + s + "'.");
  }

  /** The policy as the command line gives it, e.g. {@code quality:70 operator straight-through}. */
  public String spec() {
    return (mode.equals("quality") ? "quality:" + quality : mode) + " " + fit.name().toLowerCase(Locale.ROOT) + " "
        + rounding.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public JpegPolicy with(Fit f, JpegModel.Rounding r) {
    return new JpegPolicy(mode, quality, f, r);
  }

  /** The options for the LR {@code file}: {@code o} itself, or with the file's JPEG compression modelled. */
  public ImageDecision decide(FineTuneOptions o, ImageFile file) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy", mode.equals("quality") ? "quality:" + quality : mode);
    JpegModel model = null;
    String[] why = new String[1];
    if (mode.equals("quality")) {
      model = JpegModel.ijg(quality);
    } else if (mode.equals("auto")) {
      model = JpegModels.of(file, why);
      if (model == null && file.jpeg().isPresent()) {
        LOG.info("A leaves out the LR's JPEG compression: {}", why[0]);
      }
    }
    if (model == null) {
      m.put("modelled", false);
      if (why[0] != null) {
        m.put("why_not", why[0]);
      }
      return new ImageDecision(o, m);
    }
    model = model.withRounding(rounding);
    m.put("modelled", true);
    m.put("model", model.spec());
    m.put("fit", fit.name().toLowerCase(Locale.ROOT));
    LOG.info("fine-tuning models the LR's JPEG compression ({}, {}){}", model.spec(),
        fit == Fit.OPERATOR ? "A = JPEG∘D∘B" : "consistency with its quantisation bins",
        mode.equals("auto") ? "; --jpeg none leaves it out" : "");
    if (fit == Fit.OPERATOR) {
      FineTuneOptions withJpeg = o.withOperator(new JpegDegradation(o.operator(), model));
      if (o.lossTerms().stream().noneMatch(t -> t instanceof TotalVariationTerm tv && !tv.scheduleDefault())) {
        // Measured on Set5 butterfly q70 (docs/users-photos.md): the JPEG in A alone falls below the plain fit
        // (22.71 vs 24.31 dB), with TV it is above it (25.43 vs plain with TV 24.68); --tv 0 turns it off. It takes
        // the place of a schedule's own (smaller) TV weight; a user's --tv is kept.
        List<LossTerm> terms = new ArrayList<>(o.lossTerms());
        terms.removeIf(TotalVariationTerm.class::isInstance);
        terms.add(new TotalVariationTerm(TV_WITH_JPEG));
        withJpeg = withJpeg.withLossTerms(terms).named(o.name());
        m.put("tv_added", TV_WITH_JPEG);
      }
      return new ImageDecision(withJpeg, m);
    }
    if (!o.lossTerms().contains(DataFidelity.PLAIN)) {
      throw new UserInputException("--jpeg-fit consistency replaces the plain RGB data term; leave out --mask and "
          + "--loss-channels y, or use --jpeg-fit operator.");
    }
    List<LossTerm> terms = new ArrayList<>(o.lossTerms());
    terms.set(terms.indexOf(DataFidelity.PLAIN), new JpegConsistency(model));
    return new ImageDecision(o.withLossTerms(terms), m);
  }
}
