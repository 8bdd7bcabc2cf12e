package dev.srtune.eval;

import dev.srtune.UserInputException;

/**
 * Why one image of a batch (an evaluation, a folder given to {@code tune --input-dir}) has no result: stored as
 * {@code error.json} in the image's folder, so one bad image is reported while the others finish, and a rerun tries
 * it again (after the user fixed or removed it).
 *
 * @param name the image's name (file name without extension)
 * @param message the one sentence the console would have printed for it
 * @param userInput true when the cause is the input (a corrupt or too small image), false for anything else
 */
public record ImageFailure(String name, String message, boolean userInput) {

  /** The failure {@code e} caused on image {@code name}, in the words the console uses. */
  public static ImageFailure of(String name, Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof UserInputException u) {
        return new ImageFailure(name, u.getMessage(), true);
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? "" : root.getMessage().lines().findFirst().orElse("");
    return new ImageFailure(name, root.getClass().getSimpleName() + (m.isBlank() ? "" : ": " + m), false);
  }
}
