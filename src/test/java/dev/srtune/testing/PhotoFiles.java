package dev.srtune.testing;

import dev.srtune.image.Orientation;
import dev.srtune.image.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.commons.imaging.formats.jpeg.exif.ExifRewriter;
import org.apache.commons.imaging.formats.tiff.constants.TiffTagConstants;
import org.apache.commons.imaging.formats.tiff.write.TiffOutputSet;

/**
 * Photo files as users bring them, made by the tests with the JDK's encoders (never committed): baseline and
 * progressive JPEG, CMYK JPEG as Photoshop writes it, JPEG with an EXIF orientation, 16-bit PNG.
 */
public final class PhotoFiles {
  private PhotoFiles() {}

  /** 8-bit RGB of an image (clipped, rounded). */
  public static BufferedImage rgb8(RgbImage img) {
    return dev.srtune.image.ImageFiles.toBufferedImage(img);
  }

  /** A YCbCr JPEG (the JDK's 4:2:0) at {@code quality} in 0..1. */
  public static void jpeg(RgbImage img, Path out, float quality, boolean progressive) throws IOException {
    write(new IIOImage(rgb8(img), null, null), out, quality, progressive);
  }

  private static void write(IIOImage image, Path out, float quality, boolean progressive) throws IOException {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream s = ImageIO.createImageOutputStream(out.toFile())) {
      w.setOutput(s);
      ImageWriteParam p = w.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      if (progressive) {
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      w.write(null, image, p);
    } finally {
      w.dispose();
    }
  }

  /**
   * A CMYK JPEG as Photoshop writes it: an Adobe APP14 marker (transform 0) and the inks stored inverted. The inks
   * are the usual K = 1 − max(R,G,B), C = (1 − R − K)/(1 − K), so that (1 − C)(1 − K) = R.
   */
  public static void cmykJpeg(RgbImage img, Path out, float quality) throws IOException {
    fourComponentJpeg(img, out, quality, false);
  }

  /**
   * As {@link #cmykJpeg}, stored as YCCK (Adobe transform 2, as Photoshop writes CMYK JPEGs): the inverted C, M, Y
   * converted as if RGB to JFIF's YCbCr, K inverted as it is.
   */
  public static void ycckJpeg(RgbImage img, Path out, float quality) throws IOException {
    fourComponentJpeg(img, out, quality, true);
  }

  private static void fourComponentJpeg(RgbImage img, Path out, float quality, boolean ycck) throws IOException {
    WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, img.width(), img.height(), 4, null);
    int[] px = new int[4];
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        double[] c = new double[3];
        double max = 0;
        for (int k = 0; k < 3; k++) {
          c[k] = Math.max(0, Math.min(1, img.get(y, x, k)));
          max = Math.max(max, c[k]);
        }
        double ink = 1 - max;
        for (int k = 0; k < 3; k++) {
          double cmy = max == 0 ? 0 : (1 - c[k] - ink) / (1 - ink);
          px[k] = (int) Math.round(255 * (1 - cmy)); // stored inverted
        }
        px[3] = (int) Math.round(255 * (1 - ink));
        if (ycck) {
          double cr = px[0];
          double cg = px[1];
          double cb = px[2];
          px[0] = clip(0.299 * cr + 0.587 * cg + 0.114 * cb);
          px[1] = clip(-0.168736 * cr - 0.331264 * cg + 0.5 * cb + 128);
          px[2] = clip(0.5 * cr - 0.418688 * cg - 0.081312 * cb + 128);
        }
        r.setPixel(x, y, px);
      }
    }
    Path raw = Files.createTempFile(out.getParent(), "cmyk", ".jpg");
    try {
      write(new IIOImage(r, null, null), raw, quality, false);
      byte[] b = Files.readAllBytes(raw);
      // APP14 "Adobe", version 100, flags 0 0, transform 0 (CMYK) or 2 (YCCK), right after the start-of-image marker.
      byte[] adobe = {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) (ycck ? 2 : 0)};
      try (OutputStream o = Files.newOutputStream(out)) {
        o.write(b, 0, 2);
        o.write(adobe);
        o.write(b, 2, b.length - 2);
      }
    } finally {
      Files.deleteIfExists(raw);
    }
  }

  private static int clip(double v) {
    return (int) Math.round(Math.max(0, Math.min(255, v)));
  }

  /**
   * A JPEG of {@code upright} stored as a camera would with EXIF orientation {@code o}: the pixels turned so that
   * applying {@code o} gives {@code upright} back.
   */
  public static void orientedJpeg(RgbImage upright, Orientation o, Path out, float quality) throws IOException {
    RgbImage stored = storedFor(upright, o);
    Path plain = Files.createTempFile(out.getParent(), "plain", ".jpg");
    try {
      jpeg(stored, plain, quality, false);
      TiffOutputSet set = new TiffOutputSet();
      set.getOrCreateRootDirectory().add(TiffTagConstants.TIFF_TAG_ORIENTATION, (short) o.tag());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      new ExifRewriter().updateExifMetadataLossless(plain.toFile(), bytes, set);
      Files.write(out, bytes.toByteArray());
    } finally {
      Files.deleteIfExists(plain);
    }
  }

  /** The stored pixels that orientation {@code o} turns into {@code upright}: o applied until it comes back. */
  public static RgbImage storedFor(RgbImage upright, Orientation o) {
    // Each orientation generates a cyclic group of order 1, 2 or 4; o^(n−1) is its inverse.
    RgbImage cur = o.apply(upright);
    RgbImage prev = upright;
    while (!java.util.Arrays.equals(cur.data(), upright.data()) || cur.height() != upright.height()) {
      prev = cur;
      cur = o.apply(cur);
    }
    return prev;
  }

  /** A 16-bit RGB PNG of {@code img}, samples rounded to 1/65535. */
  public static void png16(RgbImage img, Path out) throws IOException {
    ComponentColorModel cm = new ComponentColorModel(java.awt.color.ColorSpace.getInstance(
        java.awt.color.ColorSpace.CS_sRGB), false, false, java.awt.Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster r = cm.createCompatibleWritableRaster(img.width(), img.height());
    int[] px = new int[3];
    for (int y = 0; y < img.height(); y++) {
      for (int x = 0; x < img.width(); x++) {
        for (int c = 0; c < 3; c++) {
          px[c] = (int) Math.round(65535 * Math.max(0, Math.min(1, img.get(y, x, c))));
        }
        r.setPixel(x, y, px);
      }
    }
    if (!ImageIO.write(new BufferedImage(cm, r, false, null), "png", out.toFile())) {
      throw new IOException("no PNG writer for 16-bit RGB");
    }
  }
}
