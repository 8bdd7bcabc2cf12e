package dev.srtune.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.metrics.Psnr;
import dev.srtune.testing.PhotoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.plugins.jpeg.JPEGQTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every common photo file reads, upright and in RGB: the files are made here by the JDK's encoders. */
class PhotoFilesTest {
  @TempDir Path dir;

  /** A 45×62 picture with edges, gradients and colour (no two rows or columns alike). */
  static RgbImage picture() {
    RgbImage img = RgbImage.zeros(45, 62);
    for (int y = 0; y < 45; y++) {
      for (int x = 0; x < 62; x++) {
        img.set(y, x, 0, (float) (0.5 + 0.4 * Math.sin(x / 7.0 + y / 13.0)));
        img.set(y, x, 1, x > 30 && y > 10 ? 0.8f : 0.2f + y / 90f);
        img.set(y, x, 2, (float) (0.3 + 0.3 * Math.cos(y / 5.0) * x / 62));
      }
    }
    return img.quantized8();
  }

  @Test
  void progressiveJpegReads() throws Exception {
    Path f = dir.resolve("p.jpg");
    PhotoFiles.jpeg(picture(), f, 0.9f, true);
    ImageFile file = ImageFiles.readFile(f);
    assertTrue(file.jpeg().orElseThrow().progressive());
    assertEquals("4:2:0", file.jpeg().get().subsampling());
    assertTrue(Psnr.rgb(picture(), file.image()) > 30, "progressive JPEG decoded far from its picture");
    // The same picture written baseline decodes to the same pixels: progression only reorders the coefficients.
    Path b = dir.resolve("b.jpg");
    PhotoFiles.jpeg(picture(), b, 0.9f, false);
    assertFalse(ImageFiles.readFile(b).jpeg().get().progressive());
    assertArrayEquals(ImageFiles.read(b).data(), file.image().data());
  }

  @Test
  void jpegTablesAreTheFiles() throws Exception {
    Path f = dir.resolve("q.jpg");
    PhotoFiles.jpeg(picture(), f, 0.75f, false);
    JpegFacts facts = ImageFiles.readFile(f).jpeg().orElseThrow();
    // The JDK's writer scales Annex K by its quality factor; the luma table read back is that one.
    int[] expected = JPEGQTable.K1Div2Luminance.getScaledInstance(1f, true).getTable();
    assertArrayEquals(expected, facts.components().get(0).table());
    assertEquals(3, facts.components().size());
    assertTrue(facts.ycbcr());
  }

  @Test
  void cmykJpegReadsAsRgb() throws Exception {
    Path f = dir.resolve("c.jpg");
    PhotoFiles.cmykJpeg(picture(), f, 0.95f);
    ImageFile file = ImageFiles.readFile(f);
    assertTrue(file.jpeg().orElseThrow().cmyk());
    double p = Psnr.rgb(picture(), file.image());
    assertTrue(p > 28, "CMYK JPEG read as RGB is " + p + " dB from its picture");
  }

  /** Photoshop's CMYK JPEGs are YCCK: the inverted C, M, Y stored as YCbCr. */
  @Test
  void ycckJpegReadsAsRgb() throws Exception {
    Path f = dir.resolve("k.jpg");
    PhotoFiles.ycckJpeg(picture(), f, 0.95f);
    ImageFile file = ImageFiles.readFile(f);
    assertTrue(file.jpeg().orElseThrow().cmyk());
    assertEquals(2, file.jpeg().orElseThrow().adobeTransform());
    double p = Psnr.rgb(picture(), file.image());
    System.out.printf("YCCK JPEG read as RGB: %.2f dB from its picture%n", p);
    assertTrue(p > 28, "YCCK JPEG read as RGB is " + p + " dB from its picture");
  }

  @ParameterizedTest
  @EnumSource(Orientation.class)
  void exifOrientationIsApplied(Orientation o) throws Exception {
    Path f = dir.resolve("o.jpg");
    PhotoFiles.orientedJpeg(picture(), o, f, 0.95f);
    ImageFile file = ImageFiles.readFile(f);
    assertEquals(o, file.orientation());
    assertEquals(45, file.image().height());
    assertEquals(o.swapsAxes() ? 45 : 62, file.storedWidth());
    double p = Psnr.rgb(picture(), file.image());
    assertTrue(p > 30, o + ": the upright picture is " + p + " dB from the original");
  }

  /** Where stored pixel (0,0) and the end of stored row 0 appear, from the EXIF table ("0th row" / "0th column"). */
  @Test
  void orientationsFollowTheExifTable() {
    RgbImage stored = RgbImage.zeros(3, 5);
    stored.set(0, 0, 0, 1); // first pixel
    stored.set(0, 4, 1, 1); // end of row 0
    String[][] expected = { // orientation: where (0,0) is, where (0,end) is, as T/B + L/R corners of the view
        {"TL", "TR"}, {"TR", "TL"}, {"BR", "BL"}, {"BL", "BR"},
        {"TL", "BL"}, {"TR", "BR"}, {"BR", "TR"}, {"BL", "TL"}};
    for (Orientation o : Orientation.values()) {
      RgbImage up = o.apply(stored);
      assertEquals(o.swapsAxes() ? 5 : 3, up.height(), o.name());
      assertEquals(expected[o.tag() - 1][0], corner(up, 0), o.name());
      assertEquals(expected[o.tag() - 1][1], corner(up, 1), o.name());
    }
  }

  private static String corner(RgbImage img, int channel) {
    for (int y : new int[] {0, img.height() - 1}) {
      for (int x : new int[] {0, img.width() - 1}) {
        if (img.get(y, x, channel) == 1) {
          return (y == 0 ? "T" : "B") + (x == 0 ? "L" : "R");
        }
      }
    }
    return "none";
  }

  @Test
  void sixteenBitPngKeepsItsPrecision() throws Exception {
    RgbImage fine = RgbImage.zeros(9, 11);
    for (int i = 0; i < fine.data().length; i++) {
      fine.data()[i] = (i * 37 % 65536) / 65535f; // not multiples of 257: 8 bits would lose them
    }
    Path f = dir.resolve("s.png");
    PhotoFiles.png16(fine, f);
    assertEquals(16, ImageIO.read(f.toFile()).getColorModel().getComponentSize(0));
    RgbImage back = ImageFiles.read(f);
    for (int i = 0; i < fine.data().length; i++) {
      assertEquals(fine.data()[i], back.data()[i], 0.5 / 65535, "sample " + i);
    }
  }

  @Test
  void aJpegNamedPngStillReads() throws Exception {
    Path f = dir.resolve("photo.png");
    PhotoFiles.jpeg(picture(), f, 0.9f, true);
    assertTrue(Files.size(f) > 0);
    assertTrue(ImageFiles.readFile(f).jpeg().isPresent());
  }

  @Test
  void aTruncatedJpegIsRefusedNotGreyed() throws Exception {
    Path f = dir.resolve("t.jpg");
    PhotoFiles.jpeg(picture(), f, 0.9f, false);
    byte[] whole = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(whole, whole.length / 2));
    ImageReadException e = org.junit.jupiter.api.Assertions.assertThrows(ImageReadException.class,
        () -> ImageFiles.read(f));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }
}
