package dev.srtune.eval;

import dev.srtune.tune.IterationListener;

/** Told about the images of an evaluation as they are fine-tuned or found finished, e.g. to print progress. */
public interface EvalListener {

  /** The listener for the iterations of image {@code index} (0-based) of {@code total}. */
  default IterationListener iterations(String name, int index, int total) {
    return IterationListener.none();
  }

  /**
   * Image {@code index} is finished and its result is stored; {@code resumed} is true when it was finished by an
   * earlier run and not recomputed.
   */
  default void onImage(ImageResult result, int index, int total, boolean resumed) {}

  /** Image {@code index} failed; its failure is recorded and the evaluation goes on with the others. */
  default void onFailure(ImageFailure failure, int index, int total) {}

  static EvalListener none() {
    return new EvalListener() {};
  }
}
