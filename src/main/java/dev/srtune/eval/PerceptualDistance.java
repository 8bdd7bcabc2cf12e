package dev.srtune.eval;

import dev.srtune.image.RgbImage;

/** A perceptual distance to the HR image (LPIPS), measured on the saved 8-bit output; lower is better. */
public interface PerceptualDistance {
  /** Backbone or metric name the tables print, e.g. {@code LPIPS v0.1 squeeze}. */
  String describe();

  double between(RgbImage sr, RgbImage hr);
}
