package dev.srtune.eval;

import dev.srtune.graph.degradation.Degradation;
import dev.srtune.image.RgbImage;
import dev.srtune.tune.FineTuneOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Per image of an evaluation: the operator that makes its LR from the HR image, and the fine-tuning options (with
 * their operator A) for that LR. They differ from image to image when each image has its own blur (ZSSR's random
 * kernels, {@code random:seed={i}}) or A's blur is estimated from each LR ({@code --blur estimate}), and from each
 * other when the LR's blur is not the one A assumes (the blur ignored, or estimated).
 */
public interface ImageOperators {
  /** The image {@code name}, at 1-based {@code position} among all images of the dataset in name order. */
  record Image(String name, int position) {}

  /**
   * The options for one LR image and what its {@code report.json} records about how A was found (an estimated
   * kernel and its accuracy), or null.
   */
  record Tuning(FineTuneOptions options, Map<String, Object> blurEstimate) {}

  /** The operator that makes {@code image}'s LR. */
  Degradation lrOperator(Image image);

  /**
   * The options for {@code image}'s LR {@code lr}; may write files (an estimated kernel) into {@code dir}.
   * {@code hr} is the HR image cropped to a multiple of the scale, for an estimate's accuracy only.
   */
  Tuning tuning(Image image, RgbImage lr, RgbImage hr, Path dir) throws IOException;

  /** How the LR is made, for the tables and the folder's fingerprint (a per-image spec keeps its placeholders). */
  String lrSpec();

  /** How A is chosen, likewise. */
  String tuneSpec();

  /** One operator for every image: A makes the LR and fine-tunes it. */
  static ImageOperators fixed(FineTuneOptions options) {
    return new ImageOperators() {
      @Override
      public Degradation lrOperator(Image image) {
        return options.operator();
      }

      @Override
      public Tuning tuning(Image image, RgbImage lr, RgbImage hr, Path dir) {
        return new Tuning(options, null);
      }

      @Override
      public String lrSpec() {
        return options.operator().spec();
      }

      @Override
      public String tuneSpec() {
        return options.operator().spec();
      }
    };
  }

  /** The placeholder replaced by an image's 1-based position in the dataset. */
  String POSITION = "{i}";
  /** The placeholder replaced by an image's name (its file name without extension). */
  String NAME = "{name}";

  /** {@code spec} with {@link #POSITION} and {@link #NAME} replaced for {@code image}; null stays null. */
  static String resolve(String spec, Image image) {
    return spec == null ? null
        : spec.replace(POSITION, Integer.toString(image.position())).replace(NAME, image.name());
  }

  /** True when {@code spec} names a per-image blur. */
  static boolean perImage(String spec) {
    return spec != null && (spec.contains(POSITION) || spec.contains(NAME));
  }
}
