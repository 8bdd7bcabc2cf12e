package dev.srtune.graph.tfjs;

/**
 * A TF.js model srtune cannot import (unknown layer, unsupported option, missing or short weight shard). The
 * message is one sentence naming the layer or file; the CLI shows it as a user error.
 */
public class TfjsModelException extends RuntimeException {
  public TfjsModelException(String message) {
    super(message);
  }

  public TfjsModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
