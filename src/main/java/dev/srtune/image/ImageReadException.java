package dev.srtune.image;

import dev.srtune.UserInputException;

/** An image file that is missing or cannot be decoded; the message tells the user what to do. */
public class ImageReadException extends UserInputException {
  public ImageReadException(String message) {
    super(message);
  }
}
