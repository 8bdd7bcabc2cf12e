package dev.srtune.tune;

import dev.srtune.model.Precision;

/**
 * How the session a run uses computes, as opposed to what the loop computes ({@link FineTuneOptions}): the
 * arithmetic the model is loaded with, and whether whole-image passes run at once or in tiles. A {@link TuneJob}
 * loads the model into a session with these; a caller's own session keeps its own precision.
 *
 * @param precision the arithmetic of the session a {@link TuneJob} loads the model into; float32 unless asked
 * @param passes how whole-image passes run: at once or in tiles
 */
public record SessionSettings(Precision precision, WholeImagePasses passes) {
  /** float32, whole-image passes at once where they fit. */
  public static final SessionSettings DEFAULT = new SessionSettings(Precision.FP32, WholeImagePasses.AUTO);

  public SessionSettings {
    precision = precision == null ? Precision.FP32 : precision;
    passes = passes == null ? WholeImagePasses.AUTO : passes;
  }
}
