package dev.srtune.image;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An image as read from its file, upright, with what the file says about how it was made.
 *
 * @param image the picture, with its EXIF orientation applied
 * @param orientation how the stored pixels were turned to make {@code image} ({@link Orientation#NORMAL} if none)
 * @param storedHeight height of the pixels as stored (before {@code orientation})
 * @param storedWidth width of the pixels as stored
 * @param jpeg for a JPEG file, its compression facts
 */
public record ImageFile(RgbImage image, Orientation orientation, int storedHeight, int storedWidth,
    Optional<JpegFacts> jpeg) {

  /** What report.json records of the file (its format and, for a JPEG, its compression and orientation). */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", jpeg.isPresent() ? "jpeg" : "other");
    m.put("orientation", orientation.tag());
    jpeg.ifPresent(j -> m.put("jpeg", j.describe()));
    return m;
  }
}
