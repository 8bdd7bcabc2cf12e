package dev.srtune.image;

import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.common.ImageMetadata;
import org.apache.commons.imaging.formats.jpeg.JpegImageMetadata;
import org.apache.commons.imaging.formats.tiff.TiffField;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads JPEG files with the JDK's decoder (baseline and progressive; Commons Imaging reads only baseline), converts
 * CMYK and YCCK to RGB, and applies the EXIF orientation (read with Commons Imaging).
 */
final class JpegFiles {
  private static final Logger LOG = LogManager.getLogger(JpegFiles.class);
  private static final String NATIVE_FORMAT = "javax_imageio_jpeg_image_1.0";

  private JpegFiles() {}

  /** True when the file starts with a JPEG's start-of-image marker, whatever its name. */
  static boolean isJpeg(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] head = in.readNBytes(3);
      return head.length == 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff;
    } catch (IOException e) {
      return false;
    }
  }

  static ImageFile read(Path path) {
    RgbImage stored;
    JpegFacts facts;
    try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
      ImageReader reader = readers.next();
      java.util.List<String> warnings = new java.util.ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        reader.setInput(in, true, false);
        facts = JpegFacts.fromMetadata((IIOMetadataNode) reader.getImageMetadata(0).getAsTree(NATIVE_FORMAT));
        if (facts.cmyk()) {
          // The JDK converts four-component JPEGs wrongly; its raster is the decoded components as stored.
          stored = fromCmyk(reader.readRaster(0, null), facts.adobeTransform());
          LOG.info("{}: {} JPEG converted to RGB without a colour profile", path,
              facts.adobeTransform() == 2 ? "YCCK" : "CMYK");
        } else {
          stored = ImageFiles.fromBufferedImage(reader.read(0), path.toString());
        }
        // libjpeg decodes a truncated file to its end and greys the rest, with only a warning.
        for (String w : warnings) {
          if (w.startsWith("Truncated File") || w.toLowerCase(java.util.Locale.ROOT).contains("premature end")) {
            throw new ImageReadException("Could not read " + path + " whole: the JPEG is truncated (" + w
                + "); pass the complete file.");
          }
          LOG.info("{}: the JPEG decoder warns: {}", path, w);
        }
      } finally {
        reader.dispose();
      }
    } catch (ImageReadException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw ImageFiles.unreadable(path, e.getMessage());
    }
    Orientation o = orientation(path);
    if (o != Orientation.NORMAL) {
      LOG.info("{}: EXIF orientation {} applied (the stored pixels are {})", path, o.tag(), o.description());
    }
    return new ImageFile(o.apply(stored), o, stored.height(), stored.width(), Optional.of(facts));
  }

  /** The EXIF orientation, or {@link Orientation#NORMAL} when the file has none (or unreadable metadata). */
  private static Orientation orientation(Path path) {
    try {
      ImageMetadata meta = Imaging.getMetadata(path.toFile());
      if (meta instanceof JpegImageMetadata jpeg) {
        TiffField f = jpeg.findExifValueWithExactMatch(TiffTagConstants.TIFF_TAG_ORIENTATION);
        if (f != null) {
          return Orientation.ofTag(f.getIntValue());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.info("{}: EXIF metadata unreadable ({}); the picture is used as stored", path, e.getMessage());
    }
    return Orientation.NORMAL;
  }

  /**
   * RGB from a decoded four-component raster. Files with an Adobe marker (what Photoshop writes) store CMYK
   * inverted, 255 meaning no ink; YCCK (transform 2) holds those inverted C, M, Y as YCbCr. Without a marker, CMYK is
   * taken as stored. RGB = (1 − C)(1 − K), the naive conversion, as a colour profile is not applied.
   */
  static RgbImage fromCmyk(Raster r, int adobeTransform) {
    int h = r.getHeight();
    int w = r.getWidth();
    float[] out = new float[h * w * 3];
    int[] px = new int[4];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        r.getPixel(r.getMinX() + x, r.getMinY() + y, px);
        double[] ink = new double[4]; // C, M, Y, K in [0,1], 1 = full ink
        if (adobeTransform == 2) {
          double[] rgb = ycbcrToRgb(px[0], px[1], px[2]); // the inverted C, M, Y
          for (int c = 0; c < 3; c++) {
            ink[c] = 1 - clip(rgb[c]) / 255.0;
          }
          ink[3] = 1 - px[3] / 255.0;
        } else {
          boolean inverted = adobeTransform >= 0;
          for (int c = 0; c < 4; c++) {
            ink[c] = inverted ? 1 - px[c] / 255.0 : px[c] / 255.0;
          }
        }
        int o = (y * w + x) * 3;
        for (int c = 0; c < 3; c++) {
          out[o + c] = (float) ((1 - ink[c]) * (1 - ink[3]));
        }
      }
    }
    return new RgbImage(h, w, out);
  }

  /** JFIF's YCbCr to RGB, 0..255. */
  private static double[] ycbcrToRgb(double y, double cb, double cr) {
    return new double[] {y + 1.402 * (cr - 128), y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128),
        y + 1.772 * (cb - 128)};
  }

  private static double clip(double v) {
    return Math.max(0, Math.min(255, v));
  }
}
