package dev.srtune.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.awt.image.Raster;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Reads image files into {@link RgbImage}s and writes 8-bit PNGs atomically. */
public final class ImageFiles {
  private static final Logger LOG = LogManager.getLogger(ImageFiles.class);

  private ImageFiles() {}

  /**
   * Reads a PNG, a JPEG (baseline or progressive, YCbCr, grey, CMYK or YCCK) or any other format the JDK or Commons
   * Imaging reads as RGB in [0,1], upright (a JPEG's EXIF orientation applied). Grayscale is replicated to three
   * channels; an alpha channel is dropped (and logged). 16-bit samples keep their precision.
   *
   * @throws ImageReadException with a sentence a user can act on when the file is missing or unreadable
   */
  public static RgbImage read(Path path) {
    return readFile(path).image();
  }

  /** As {@link #read}, with what the file says about how it was made (a JPEG's tables, its orientation). */
  public static ImageFile readFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new ImageReadException("Image file " + path + " does not exist; check the path.");
    }
    if (JpegFiles.isJpeg(path)) {
      return JpegFiles.read(path);
    }
    BufferedImage img;
    try {
      // The JDK's readers first: they keep 16-bit PNG samples (Commons Imaging reduces them to 8 bits).
      img = javax.imageio.ImageIO.read(path.toFile());
      if (img == null) {
        img = Imaging.getBufferedImage(path.toFile());
      }
    } catch (IOException | RuntimeException e) {
      throw unreadable(path, e.getMessage());
    }
    if (img == null) {
      throw unreadable(path, null);
    }
    RgbImage rgb = fromBufferedImage(img, path.toString());
    return new ImageFile(rgb, Orientation.NORMAL, rgb.height(), rgb.width(), java.util.Optional.empty());
  }

  static ImageReadException unreadable(Path path, String why) {
    return new ImageReadException("Could not read " + path + " as an image" + (why == null ? "" : " (" + why + ")")
        + "; pass a valid PNG or JPEG file.");
  }

  static RgbImage fromBufferedImage(BufferedImage img, String what) {
    int h = img.getHeight();
    int w = img.getWidth();
    Raster r = img.getRaster();
    int bands = r.getNumBands();
    if (img.getColorModel().hasAlpha()) {
      LOG.info("{}: alpha channel dropped", what);
    }
    float[] out = new float[h * w * 3];
    java.awt.image.ColorModel cm = img.getColorModel();
    int colours = cm.getNumColorComponents();
    if (cm instanceof java.awt.image.IndexColorModel || (colours != 1 && colours != 3)) {
      // Palette and unusual models: let Java2D convert to 8-bit sRGB.
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int argb = img.getRGB(x, y);
          int o = (y * w + x) * 3;
          out[o] = ((argb >> 16) & 0xff) / 255f;
          out[o + 1] = ((argb >> 8) & 0xff) / 255f;
          out[o + 2] = (argb & 0xff) / 255f;
        }
      }
    } else {
      // Raw samples: keeps 16-bit precision; grayscale is replicated to three channels.
      if (cm.getComponentSize(0) > 8) {
        LOG.info("{}: {}-bit samples are used at full precision, but srtune writes 8-bit PNGs, so the outputs "
            + "have 8 bits per sample", what, cm.getComponentSize(0));
      }
      double max = (1 << cm.getComponentSize(0)) - 1;
      double[] px = new double[bands];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          r.getPixel(x, y, px);
          int o = (y * w + x) * 3;
          for (int c = 0; c < 3; c++) {
            out[o + c] = (float) (px[colours == 1 ? 0 : c] / max);
          }
        }
      }
    }
    return new RgbImage(h, w, out);
  }

  /** Converts to an 8-bit RGB image, clipping to [0,1] and rounding half up (MATLAB im2uint8). */
  public static BufferedImage toBufferedImage(RgbImage img) {
    BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
    float[] d = img.data();
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        int o = (y * img.width() + x) * 3;
        int rgb = RgbImage.to8bit(d[o]) << 16 | RgbImage.to8bit(d[o + 1]) << 8 | RgbImage.to8bit(d[o + 2]);
        out.setRGB(x, y, rgb);
      }
    }
    return out;
  }

  /** Writes an 8-bit PNG; the file appears whole or not at all (temp file + atomic rename). */
  public static void writePng(RgbImage img, Path path) throws IOException {
    writePng(toBufferedImage(img), path);
  }

  public static void writePng(BufferedImage img, Path path) throws IOException {
    AtomicFiles.write(path, out -> Imaging.writeImage(img, out, ImageFormats.PNG));
  }

  /** Writes files atomically: into a temporary sibling first, then renamed over the target. */
  public static final class AtomicFiles {
    private AtomicFiles() {}

    /** What writes the content; may throw. */
    public interface Writer {
      void write(OutputStream out) throws IOException;
    }

    public static void write(Path path, Writer writer) throws IOException {
      Path abs = path.toAbsolutePath();
      Path dir = abs.getParent();
      Files.createDirectories(dir);
      // Not Files.createTempFile: that makes the file 0600 whatever the user's umask; this gets the usual mode.
      Path tmp = dir.resolve("." + abs.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
      try {
        try (OutputStream out = Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
          writer.write(out);
        }
        try {
          Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        try {
          Files.deleteIfExists(tmp);
        } catch (NoSuchFileException ignored) {
          // already moved
        }
      }
    }

    public static void writeString(Path path, String text) throws IOException {
      write(path, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
  }
}
