package dev.srtune.graph.degradation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.degrade.JpegModels;
import dev.srtune.image.ImageFile;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.Orientation;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.Psnr;
import dev.srtune.testing.PhotoFiles;
import dev.srtune.testing.Shared;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The graph's JPEG round trip against the JDK's own encoder and decoder (libjpeg), on a Set5 crop whose sides are
 * not multiples of the MCU: with the file's tables the graph lands on the decoded file to within what libjpeg's
 * integer DCT changes (a coefficient near a rounding boundary goes the other way): 40-43 dB, where the image itself
 * is 28-35 dB from the file (measured; a numpy model of the same steps gives the same numbers against PIL).
 */
class JpegCompressionTest {
  @TempDir Path dir;

  private static RgbImage crop() {
    RgbImage hr = ImageFiles.read(Shared.path("datasets/Set5/butterfly.png"));
    return hr.crop(37, 21, 61, 83).quantized8();
  }

  @ParameterizedTest
  @CsvSource({"0.5, false", "0.7, false", "0.9, false", "0.7, true"})
  void matchesTheDecodedFile(float quality, boolean progressive) throws Exception {
    RgbImage x = crop();
    Path f = dir.resolve("q.jpg");
    PhotoFiles.jpeg(x, f, quality, progressive);
    ImageFile file = ImageFiles.readFile(f);
    JpegModel m = JpegModels.of(file, new String[1]);
    assertEquals(2, m.chromaRows());
    RgbImage graph = OpRunner.run(x, (tf, in) -> JpegCompression.apply(tf, in, m));
    double toFile = Psnr.mse(graph, file.image());
    double imageToFile = Psnr.mse(x, file.image());
    System.out.printf("q%.1f%s: PSNR(graph, decoded) %.2f dB, PSNR(image, decoded) %.2f dB%n", quality,
        progressive ? " progressive" : "", psnr(toFile), psnr(imageToFile));
    assertTrue(psnr(toFile) > 38, "graph vs decoded " + psnr(toFile) + " dB");
    assertTrue(toFile < imageToFile / 5, "graph " + toFile + " vs image " + imageToFile);
  }

  @ParameterizedTest
  @CsvSource({"ROTATED_90_CW", "ROTATED_180", "TRANSVERSE", "MIRRORED"})
  void followsTheExifOrientation(Orientation o) throws Exception {
    RgbImage upright = crop();
    Path f = dir.resolve("o.jpg");
    PhotoFiles.orientedJpeg(upright, o, f, 0.7f);
    ImageFile file = ImageFiles.readFile(f);
    assertEquals(o, file.orientation());
    JpegModel m = JpegModels.of(file, new String[1]);
    RgbImage graph = OpRunner.run(upright, (tf, in) -> JpegCompression.apply(tf, in, m));
    double p = Psnr.rgb(graph, file.image());
    System.out.printf("%s: PSNR(graph, decoded) %.2f dB, phase %dx%d%n", o, p, m.phaseTop(), m.phaseLeft());
    assertTrue(p > 38, o + ": graph vs decoded " + p + " dB");
    // The grid's phase matters: the blocks of the image as stored, not of the upright picture.
    JpegModel unturned = new JpegModel(m.luma(), m.cb(), m.cr(), m.chromaRows(), m.chromaCols(), false, 0, 0,
        m.rounding(), m.source());
    double q = Psnr.rgb(OpRunner.run(upright, (tf, in) -> JpegCompression.apply(tf, in, unturned)), file.image());
    assertTrue(q < p - 3, o + ": without the phase " + q + " dB, with it " + p + " dB");
  }

  private static double psnr(double mse) {
    return 10 * Math.log10(1 / mse);
  }

  /**
   * The image a file was made from lies (up to libjpeg's integer DCT) inside the file's quantisation bins, though
   * it is 30 dB from the decoded pixels; an image off by a smooth shift of 4 levels lies outside.
   */
  @Test
  void theSourceImageIsConsistentWithItsFile() throws Exception {
    RgbImage x = crop();
    Path f = dir.resolve("c.jpg");
    PhotoFiles.jpeg(x, f, 0.7f, false);
    ImageFile file = ImageFiles.readFile(f);
    JpegModel m = JpegModels.of(file, new String[1]);
    RgbImage shifted = x.crop(0, 0, x.height(), x.width());
    for (int i = 0; i < shifted.data().length; i++) {
      shifted.data()[i] += (float) (4 / 255.0 * Math.sin(i / 300.0));
    }
    double source = distance(x, file.image(), m);
    double off = distance(shifted, file.image(), m);
    double plain = Psnr.mse(x, file.image());
    System.out.printf("distance to the file: source %.3g, shifted %.3g; plain MSE of the source %.3g%n", source,
        off, plain);
    assertTrue(source < plain / 50, "source " + source + " vs plain " + plain);
    assertTrue(off > 5 * source, "shifted " + off + " vs source " + source);
  }

  private static double distance(RgbImage x, RgbImage y, JpegModel m) {
    try (org.tensorflow.Graph g = new org.tensorflow.Graph(); org.tensorflow.Session s = new org.tensorflow.Session(g);
        var tx = x.toTensor(); var ty = y.toTensor()) {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
      var px = tf.placeholder(org.tensorflow.types.TFloat32.class);
      var py = tf.placeholder(org.tensorflow.types.TFloat32.class);
      var d = JpegCompression.distanceToFile(tf, px, py, m, tf.constant(0));
      try (var r = s.runner().feed(px, tx).feed(py, ty).fetch(d).run()) {
        return ((org.tensorflow.types.TFloat32) r.get(0)).getFloat();
      }
    }
  }

  @Test
  void ijgTablesAreLibjpegs() {
    // jpeg_set_quality(75): scale 50%, (16*50+50)/100 = 8; quality 50 keeps Annex K; 10 scales by 500%.
    assertEquals(8, JpegModel.ijg(75).luma()[0]);
    assertEquals(16, JpegModel.ijg(50).luma()[0]);
    assertEquals(80, JpegModel.ijg(10).luma()[0]);
    assertEquals(255, JpegModel.ijg(1).luma()[63]);
    assertEquals(99, JpegModel.ijg(50).cb()[63]);
  }
}
