package dev.srtune;

/**
 * A problem the user caused and can fix (a missing file, a wrong scale, an image too small). Its message
 * is one sentence that says what to do; the CLI prints it without a stack trace and exits non-zero.
 */
public class UserInputException extends RuntimeException {
  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
