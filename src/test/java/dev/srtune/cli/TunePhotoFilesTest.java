package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.Orientation;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.PhotoFiles;
import dev.srtune.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Photos as users bring them, tuned end to end with {@code srtune tune} on EnhanceNet built for x2 from its
 * checkpoint: a progressive JPEG, a CMYK JPEG, an EXIF-rotated JPEG and a 16-bit PNG, all made here from a Set5 crop
 * by the JDK's encoders. Each must tune (exit 0, LR-PSNR rising), write sr.png at twice the upright size, and
 * record what the file was in report.json; JPEGs get A with their own tables.
 */
@Tag("integration")
class TunePhotoFilesTest {
  static Path tmp;
  static Path model;
  static RgbImage picture;

  @BeforeAll
  static void build() throws Exception {
    tmp = Files.createTempDirectory("srtune-photos-");
    model = tmp.resolve("enhancenet-x2");
    assertEquals(0, Main.run("build", "enhancenet", "--checkpoint", Shared.enhanceNetCheckpoint().toString(),
        "--scale", "2", "--out", model.toString()));
    // 56x72: not a multiple of the 16-pixel MCU, and not square, so a rotation shows.
    picture = ImageFiles.read(Shared.path("datasets/Set5/butterfly.png")).crop(40, 30, 56, 72).quantized8();
  }

  @ParameterizedTest
  @ValueSource(strings = {"progressive.jpg", "cmyk.jpg", "exif6.jpg", "sixteen.png"})
  void tunes(String name) throws Exception {
    Path in = tmp.resolve(name);
    switch (name) {
      case "progressive.jpg" -> PhotoFiles.jpeg(picture, in, 0.8f, true);
      case "cmyk.jpg" -> PhotoFiles.cmykJpeg(picture, in, 0.9f);
      case "exif6.jpg" -> PhotoFiles.orientedJpeg(picture, Orientation.ROTATED_90_CW, in, 0.8f);
      default -> PhotoFiles.png16(picture, in);
    }
    byte[] before = Files.readAllBytes(in);
    Path out = tmp.resolve(name + "-out");
    BadInputTest.Run r = BadInputTest.run("tune", "--model", model.toString(), "--input", in.toString(),
        "--max-iters", "20", "--stop", "none", "--lpips", "none", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    var sr = ImageIO.read(out.resolve("sr.png").toFile());
    assertEquals(2 * picture.height(), sr.getHeight(), name + ": sr.png is not upright at x2");
    assertEquals(2 * picture.width(), sr.getWidth());
    JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    double start = report.getAsJsonObject("lr_psnr").get("start").getAsDouble();
    double end = report.getAsJsonObject("lr_psnr").get("end").getAsDouble();
    JsonObject file = report.getAsJsonObject("lr_file");
    JsonObject jpeg = file.getAsJsonObject("jpeg_model");
    System.out.printf("%s: LR-PSNR %.2f -> %.2f dB, A %s%n", name, start, end, report.getAsJsonObject("operator")
        .get("spec").getAsString());
    assertTrue(end > start, name + ": LR-PSNR " + start + " -> " + end);
    assertEquals(name.endsWith(".jpg") ? "jpeg" : "other", file.get("format").getAsString());
    assertEquals(name.equals("exif6.jpg") ? 6 : 1, file.get("orientation").getAsInt());
    // YCbCr JPEGs are modelled with the file's tables; a CMYK one is not (and says why); a PNG has nothing to model.
    assertEquals(name.equals("progressive.jpg") || name.equals("exif6.jpg"), jpeg.get("modelled").getAsBoolean(),
        name + ": " + jpeg);
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)), name + ": the input was changed");
    // The default precision is auto: the report and the progress line say which one ran, and why.
    JsonObject hp = report.getAsJsonObject("hyper_parameters");
    String ran = hp.get("precision").getAsString();
    assertTrue(ran.equals("fp32") || ran.equals("bf16"), ran);
    assertTrue(hp.get("precision_choice").getAsString().startsWith(ran + ": "), hp.toString());
    assertTrue(r.err().contains("tune (" + ran + ") iter"), r.err());
  }

  /** A folder of photos: JPEGs are listed with the PNGs and each gets the same adaptation as one image would. */
  @org.junit.jupiter.api.Test
  void aFolderOfPhotosTunes() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("photos"));
    PhotoFiles.jpeg(picture, dir.resolve("a.jpg"), 0.7f, true);
    ImageFiles.writePng(picture, dir.resolve("b.png"));
    Path out = tmp.resolve("photos-out");
    BadInputTest.Run r = BadInputTest.run("tune", "--model", model.toString(), "--input-dir", dir.toString(),
        "--max-iters", "5", "--stop", "none", "--lpips", "none", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    for (String name : new String[] {"a", "b"}) {
      JsonObject report = JsonParser.parseString(Files.readString(out.resolve(name).resolve("report.json")))
          .getAsJsonObject();
      boolean modelled = report.getAsJsonObject("lr_file").getAsJsonObject("jpeg_model").get("modelled")
          .getAsBoolean();
      assertEquals(name.equals("a"), modelled, name + ": " + report.get("lr_file"));
    }
    // The same folder with the JPEG left out would mix two kinds of result: refused, the results kept.
    byte[] aReport = Files.readAllBytes(out.resolve("a").resolve("report.json"));
    BadInputTest.Run other = BadInputTest.run("tune", "--model", model.toString(), "--input-dir", dir.toString(),
        "--max-iters", "5", "--stop", "none", "--lpips", "none", "--jpeg", "none", "--out", out.toString());
    assertEquals(2, other.code(), other.err());
    assertTrue(other.err().contains("other settings") && other.err().contains("image_policies"), other.err());
    assertTrue(java.util.Arrays.equals(aReport, Files.readAllBytes(out.resolve("a").resolve("report.json"))));
    Files.copy(dir.resolve("b.png"), dir.resolve("a.png"));
    BadInputTest.Run both = BadInputTest.run("tune", "--model", model.toString(), "--input-dir", dir.toString(),
        "--max-iters", "5", "--out", tmp.resolve("photos-out2").toString());
    assertEquals(2, both.code(), both.err());
    assertTrue(both.err().contains("holds both a.jpg and a.png") || both.err().contains("holds both a.png and a.jpg"),
        both.err());
  }
}
