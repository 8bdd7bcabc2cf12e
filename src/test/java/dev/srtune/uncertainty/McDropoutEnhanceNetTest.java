package dev.srtune.uncertainty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.graph.dropout.DropoutPlacement;
import dev.srtune.graph.enhancenet.EnhanceNetImporter;
import dev.srtune.graph.savedmodel.SrSignature;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.model.SrModel;
import dev.srtune.testing.Arrays2;
import dev.srtune.testing.Shared;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/** Test-time dropout in the real EnhanceNet ×4 on Set5 crops (issue 12, item 1). */
@Tag("integration")
class McDropoutEnhanceNetTest {
  @TempDir static Path tmp;
  static SrModel model;
  static RgbImage bird;

  @BeforeAll
  static void load() throws Exception {
    Path dir = tmp.resolve("enet-x4");
    EnhanceNetImporter.build(Shared.enhanceNetCheckpoint(), 4, dir);
    model = SrModel.load(dir);
    bird = ImageFiles.read(Shared.path("datasets/Set5/bird.png"));
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
  }

  static RgbImage plainForward(RgbImage y) {
    try (TFloat32 x = y.toTensor(); Result r = model.bundle().session().runner()
        .feed(SrSignature.INPUT, x).fetch(SrSignature.OUTPUT).run()) {
      return RgbImage.fromTensor((TFloat32) r.get(0));
    }
  }

  /** The paper's placement: after the first conv, each of the 10 residual blocks and the 3 convs after them. */
  @Test
  void blocksAreBetweenResidualBlocksNotInsideThem() {
    try (McDropoutNetwork net = McDropoutNetwork.insert(model, DropoutPlacement.blocks(), 0.0005, 1)) {
      List<String> sites = net.sites();
      System.out.println("EnhanceNet x4 dropout sites: " + sites);
      assertEquals(14, sites.size(), sites.toString());
      long relus = sites.stream().filter(s -> s.matches(".*Relu(_\\d+)?")).count();
      long joins = sites.stream().filter(s -> s.matches(".*Add(V2)?(_\\d+)?")).count();
      assertEquals(4, relus, sites.toString());
      assertEquals(10, joins, sites.toString());
    }
    // A pattern picks ops by name instead: the ReLUs of the three convolutions after the residual blocks.
    try (McDropoutNetwork net = McDropoutNetwork.insert(model, DropoutPlacement.matching("^Relu_1[1-3]$"), 0.1, 1)) {
      assertEquals(List.of("Relu_11", "Relu_12", "Relu_13"), net.sites());
      assertEquals("layers:^Relu_1[1-3]$", net.placement());
    }
  }

  /** p = 0: every mask is 1 and the scale 1, so each pass of a batch equals the plain network's output. */
  @Test
  void zeroRateReproducesTheNetwork() {
    RgbImage y = bird.crop(100, 80, 40, 48);
    RgbImage plain = plainForward(y);
    try (McDropoutNetwork net = McDropoutNetwork.insert(model, DropoutPlacement.blocks(), 0.0, 2)) {
      for (RgbImage pass : net.run(y, 7, 0)) {
        double err = Arrays2.maxAbsDiff(plain.data(), pass.data());
        System.out.printf("p = 0 vs plain network: max abs diff %.3g%n", err);
        assertTrue(err <= 1e-6, "p = 0 changed the output by " + err);
      }
    }
    // And p > 0 does change it (so the comparison above can fail).
    try (McDropoutNetwork net = McDropoutNetwork.insert(model, DropoutPlacement.blocks(), 0.01, 1)) {
      assertTrue(Arrays2.maxAbsDiff(plain.data(), net.run(y, 7, 0).get(0).data()) > 1e-3);
    }
  }

  /** One seed gives the same map, whatever the batch size; another seed gives another. */
  @Test
  void sameSeedSameMapOtherSeedOtherMap() {
    RgbImage y = bird.crop(60, 60, 32, 32);
    float[] a;
    float[] b;
    float[] c;
    try (McDropoutNetwork net = McDropoutNetwork.insert(model, DropoutPlacement.blocks(), 0.002, 3)) {
      a = UncertaintyEstimate.run(net, y, 6, 11, null).variance();
      b = UncertaintyEstimate.run(net, y, 6, 11, null).variance();
      c = UncertaintyEstimate.run(net, y, 6, 12, null).variance();
    }
    float[] d;
    try (McDropoutNetwork net = McDropoutNetwork.insert(model, DropoutPlacement.blocks(), 0.002, 2)) {
      d = UncertaintyEstimate.run(net, y, 6, 11, null).variance();
    }
    assertArrayEquals(a, b, "same seed, same network: identical maps");
    assertTrue(Arrays2.maxAbsDiff(a, d) <= 1e-6 * Math.max(1e-12, max(a)) + 1e-9,
        "same seed, batch 3 vs 2: " + Arrays2.maxAbsDiff(a, d));
    assertFalse(Arrays.equals(a, c), "seeds 11 and 12 gave the same map");
    assertTrue(max(a) > 0 && max(c) > 0);
  }

  /**
   * On a Set5 crop at the paper's p = 0.0005 the variance is positive over most of the image, and larger where the
   * image has structure (the quarter of pixels with the strongest HR-scale gradient of the mean) than where it is flat.
   */
  @Test
  void varianceIsPositiveAndLargestOnStructure() {
    RgbImage y = bird.crop(40, 40, 48, 48);
    UncertaintyEstimate e;
    try (McDropoutNetwork net = McDropoutNetwork.insert(model, DropoutPlacement.blocks(), 0.0005, 4)) {
      e = UncertaintyEstimate.run(net, y, 12, 1, null);
    }
    float[] v = e.variance();
    int positive = 0;
    for (float x : v) {
      positive += x > 0 ? 1 : 0;
    }
    double[] grad = gradient(e.mean());
    Integer[] idx = new Integer[v.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (i, j) -> Double.compare(grad[i], grad[j]));
    int q = v.length / 4;
    double flat = 0;
    double edges = 0;
    for (int i = 0; i < q; i++) {
      flat += v[idx[i]];
      edges += v[idx[v.length - 1 - i]];
    }
    System.out.printf("Set5 bird 48x48, p = 0.0005, 12 passes: mean variance %.3g, %.1f%% positive, "
        + "flat quarter %.3g, structured quarter %.3g (%.1f s)%n", e.meanVariance(), 100.0 * positive / v.length,
        flat / q, edges / q, e.seconds());
    assertTrue(e.meanVariance() > 0);
    assertTrue(positive > 0.5 * v.length, positive + " of " + v.length + " pixels vary");
    assertTrue(edges > flat, "structured " + edges / q + " vs flat " + flat / q);
  }

  static double[] gradient(RgbImage m) {
    double[] g = new double[m.height() * m.width()];
    for (int y = 0; y < m.height(); y++) {
      for (int x = 0; x < m.width(); x++) {
        double s = 0;
        for (int c = 0; c < 3; c++) {
          double gx = m.get(y, Math.min(m.width() - 1, x + 1), c) - m.get(y, Math.max(0, x - 1), c);
          double gy = m.get(Math.min(m.height() - 1, y + 1), x, c) - m.get(Math.max(0, y - 1), x, c);
          s += gx * gx + gy * gy;
        }
        g[y * m.width() + x] = s;
      }
    }
    return g;
  }

  static float max(float[] a) {
    float m = Float.NEGATIVE_INFINITY;
    for (float x : a) {
      m = Math.max(m, x);
    }
    return m;
  }
}
