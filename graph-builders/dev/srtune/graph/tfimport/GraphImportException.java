package dev.srtune.graph.tfimport;

/**
 * A graph srtune cannot import as asked (no image input, several candidate outputs, nothing to fine-tune, a
 * checkpoint that does not fit its meta graph). The message is one sentence that says what to pass instead; the CLI
 * shows it as a user error.
 */
public class GraphImportException extends RuntimeException {
  public GraphImportException(String message) {
    super(message);
  }

  public GraphImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
