package dev.srtune.eval;

import dev.srtune.image.RgbImage;

/** A perceptual distance to the HR image (LPIPS), measured on the saved 8-bit output; lower is better. */
public interface PerceptualDistance {
  /** Backbone or metric name the tables print, e.g. {@code LPIPS v0.1 squeeze}. */
  String describe();

  /** The distance, or null when the images are too small for the metric (the tables then show it as missing). */
  Double between(RgbImage sr, RgbImage hr);
}
