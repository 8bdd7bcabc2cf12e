package dev.srtune.graph.lpips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.graph.torch.TorchStateDict;
import dev.srtune.graph.torch.TorchStateDictReader;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TorchStateDictFiles;
import dev.srtune.testing.TorchStateDictFiles.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * LPIPS graphs on random weights. AlexNet and VGG16 backbones are not obtainable here (SqueezeNet's real one is
 * checked in {@link LpipsReferenceTest}); all three get state dicts with torchvision's key
 * names and shapes and random values, written in the zip format (backbone) and the legacy format (heads), then
 * the graph against a plain NCHW re-implementation of torchvision's {@code features} written out layer by layer
 * below (independent of {@link LpipsNet}'s table, the HWIO conversion and the TF padding).
 */
class LpipsBackbonesTest {
  @TempDir Path tmp;

  /** torchvision alexnet().features: (index, in, out, kernel, stride, pad) or a pool / tap. */
  private static final Object[][] ALEXNET = {
      {0, 3, 64, 11, 4, 2}, {"relu"}, {"tap"}, {"pool", 3, 2},
      {3, 64, 192, 5, 1, 2}, {"relu"}, {"tap"}, {"pool", 3, 2},
      {6, 192, 384, 3, 1, 1}, {"relu"}, {"tap"},
      {8, 384, 256, 3, 1, 1}, {"relu"}, {"tap"},
      {10, 256, 256, 3, 1, 1}, {"relu"}, {"tap"}};

  /** torchvision vgg16().features, with LPIPS's taps after relu1_2, relu2_2, relu3_3, relu4_3, relu5_3. */
  private static final Object[][] VGG16 = {
      {0, 3, 64, 3, 1, 1}, {"relu"}, {2, 64, 64, 3, 1, 1}, {"relu"}, {"tap"}, {"pool", 2, 2},
      {5, 64, 128, 3, 1, 1}, {"relu"}, {7, 128, 128, 3, 1, 1}, {"relu"}, {"tap"}, {"pool", 2, 2},
      {10, 128, 256, 3, 1, 1}, {"relu"}, {12, 256, 256, 3, 1, 1}, {"relu"}, {14, 256, 256, 3, 1, 1}, {"relu"},
      {"tap"}, {"pool", 2, 2},
      {17, 256, 512, 3, 1, 1}, {"relu"}, {19, 512, 512, 3, 1, 1}, {"relu"}, {21, 512, 512, 3, 1, 1}, {"relu"},
      {"tap"}, {"pool", 2, 2},
      {24, 512, 512, 3, 1, 1}, {"relu"}, {26, 512, 512, 3, 1, 1}, {"relu"}, {28, 512, 512, 3, 1, 1}, {"relu"},
      {"tap"}};

  /** torchvision squeezenet1_1().features: fire = {"fire", index, in, squeeze, expand1x1, expand3x3}; ceil pools. */
  private static final Object[][] SQUEEZENET11 = {
      {0, 3, 64, 3, 2, 0}, {"relu"}, {"tap"}, {"ceilpool", 3, 2},
      {"fire", 3, 64, 16, 64, 64}, {"fire", 4, 128, 16, 64, 64}, {"tap"}, {"ceilpool", 3, 2},
      {"fire", 6, 128, 32, 128, 128}, {"fire", 7, 256, 32, 128, 128}, {"tap"}, {"ceilpool", 3, 2},
      {"fire", 9, 256, 48, 192, 192}, {"tap"}, {"fire", 10, 384, 48, 192, 192}, {"tap"},
      {"fire", 11, 384, 64, 256, 256}, {"tap"}, {"fire", 12, 512, 64, 256, 256}, {"tap"}};

  @Test
  void squeezeMatchesPlainReimplementation() throws IOException {
    // 46 and 47: both parities of the ceil-mode pools' spans.
    check(LpipsNet.SQUEEZE, SQUEEZENET11, 46, 47, new int[] {64, 128, 256, 384, 384, 512, 512},
        new int[] {22, 11, 5, 2, 2, 2, 2});
  }

  @Test
  void alexMatchesPlainReimplementation() throws IOException {
    check(LpipsNet.ALEX, ALEXNET, 64, 67, new int[] {64, 192, 384, 256, 256}, new int[] {15, 7, 3, 3, 3});
  }

  @Test
  void vggMatchesPlainReimplementation() throws IOException {
    check(LpipsNet.VGG, VGG16, 32, 36, new int[] {64, 128, 256, 512, 512}, new int[] {32, 16, 8, 4, 2});
  }

  @Test
  void aBackboneOfAnotherNetworkIsRefusedByKey() throws IOException {
    Random rnd = new Random(3);
    Path backbone = tmp.resolve("vgg16.pth");
    Path heads = tmp.resolve("alex.pth");
    writeBackbone(backbone, VGG16, rnd);
    writeHeads(heads, new int[] {64, 192, 384, 256, 256}, rnd);
    TorchStateDict b = TorchStateDictReader.read(backbone);
    TorchStateDict h = TorchStateDictReader.read(heads);
    var e = assertThrows(IllegalArgumentException.class, () -> LpipsWeights.from(LpipsNet.ALEX, b, h));
    assertTrue(e.getMessage().contains("features.0.weight"), e.getMessage());
  }

  private void check(LpipsNet net, Object[][] arch, int height, int width, int[] channels, int[] tapHeights)
      throws IOException {
    Random rnd = new Random(net.ordinal() + 11);
    Path backbone = tmp.resolve(net.id() + "-backbone.pth");
    Path heads = tmp.resolve(net.id() + ".pth");
    writeBackbone(backbone, arch, rnd);
    writeHeads(heads, channels, rnd);
    TorchStateDict b = TorchStateDictReader.read(backbone);
    TorchStateDict h = TorchStateDictReader.read(heads);
    assertEquals("zip", b.format());
    assertEquals("legacy", h.format());
    LpipsWeights w = LpipsWeights.from(net, b, h);
    assertEquals(channels.length, w.heads().size());

    RgbImage x0 = randomImage(height, width, rnd);
    RgbImage x1 = randomImage(height, width, rnd);
    double[] expected = reference(arch, b, h, x0, x1);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var p0 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, height, width, 3)));
      var p1 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, height, width, 3)));
      Lpips.Distance d = Lpips.build(tf, w, p0, p1);
      var taps = Lpips.features(tf, w, p0);
      for (int k = 0; k < taps.size(); k++) {
        assertEquals(Shape.of(1, tapHeights[k], taps.get(k).shape().get(2), channels[k]), taps.get(k).shape(),
            net + " tap " + k);
      }
      try (TFloat32 t0 = x0.toTensor(); TFloat32 t1 = x1.toTensor()) {
        Session.Runner r = s.runner().feed(p0, t0).feed(p1, t1).fetch(d.distance());
        d.perTap().forEach(r::fetch);
        try (Result res = r.run()) {
          double got = ((TFloat32) res.get(0)).getFloat(0);
          System.out.printf("LPIPS %s random weights: graph %.7g, NCHW re-implementation %.7g%n", net.id(), got,
              expected[0]);
          assertEquals(expected[0], got, 1e-5 * Math.abs(expected[0]) + 1e-6);
          for (int k = 0; k < channels.length; k++) {
            assertEquals(expected[k + 1], ((TFloat32) res.get(k + 1)).getFloat(0),
                1e-4 * Math.abs(expected[k + 1]) + 1e-6, "tap " + k);
          }
        }
      }
    }
  }

  private static RgbImage randomImage(int h, int w, Random rnd) {
    float[] v = new float[h * w * 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextFloat();
    }
    return new RgbImage(h, w, v);
  }

  /** He-scaled random conv weights, so activations neither vanish nor explode through 13 layers. */
  private static void writeBackbone(Path file, Object[][] arch, Random rnd) throws IOException {
    Map<String, Entry> dict = new LinkedHashMap<>();
    int[] key = {0};
    for (Object[] l : arch) {
      if (l[0] instanceof Integer idx) {
        putConv(dict, "features." + idx, (Integer) l[1], (Integer) l[2], (Integer) l[3], rnd, key);
      } else if (l[0].equals("fire")) {
        String p = "features." + l[1];
        int in = (Integer) l[2];
        int sq = (Integer) l[3];
        putConv(dict, p + ".squeeze", in, sq, 1, rnd, key);
        putConv(dict, p + ".expand1x1", sq, (Integer) l[4], 1, rnd, key);
        putConv(dict, p + ".expand3x3", sq, (Integer) l[5], 3, rnd, key);
      }
    }
    TorchStateDictFiles.writeZip(file, "backbone", dict);
  }

  private static void putConv(Map<String, Entry> dict, String prefix, int in, int out, int k, Random rnd, int[] key) {
    float[] wv = new float[out * in * k * k];
    double std = Math.sqrt(2.0 / (in * k * k));
    for (int i = 0; i < wv.length; i++) {
      wv[i] = (float) (rnd.nextGaussian() * std);
    }
    float[] bv = new float[out];
    for (int i = 0; i < out; i++) {
      bv[i] = (float) (rnd.nextGaussian() * 0.1);
    }
    dict.put(prefix + ".weight", Entry.contiguous(String.valueOf(key[0]++), new int[] {out, in, k, k}, wv));
    dict.put(prefix + ".bias", Entry.contiguous(String.valueOf(key[0]++), new int[] {out}, bv));
  }

  private static void writeHeads(Path file, int[] channels, Random rnd) throws IOException {
    Map<String, Entry> dict = new LinkedHashMap<>();
    for (int k = 0; k < channels.length; k++) {
      float[] v = new float[channels[k]];
      for (int i = 0; i < v.length; i++) {
        v[i] = rnd.nextFloat() * 0.1f;
      }
      dict.put("lin" + k + ".model.1.weight", Entry.contiguous("h" + k, new int[] {1, channels[k], 1, 1}, v));
    }
    TorchStateDictFiles.writeLegacy(file, dict);
  }

  // ---- plain NCHW LPIPS in doubles, as the lpips package computes it ----

  private record Chw(int c, int h, int w, double[] v) {
    double at(int ch, int y, int x) {
      return v[(ch * h + y) * w + x];
    }
  }

  private static double[] reference(Object[][] arch, TorchStateDict b, TorchStateDict heads, RgbImage x0, RgbImage x1) {
    List<Chw> f0 = taps(arch, b, x0);
    List<Chw> f1 = taps(arch, b, x1);
    double[] out = new double[f0.size() + 1];
    for (int k = 0; k < f0.size(); k++) {
      Chw a = normalise(f0.get(k));
      Chw c = normalise(f1.get(k));
      float[] w = heads.tensors().get("lin" + k + ".model.1.weight").data();
      double sum = 0;
      for (int y = 0; y < a.h(); y++) {
        for (int x = 0; x < a.w(); x++) {
          for (int ch = 0; ch < a.c(); ch++) {
            double d = a.at(ch, y, x) - c.at(ch, y, x);
            sum += w[ch] * d * d;
          }
        }
      }
      out[k + 1] = sum / (a.h() * a.w());
      out[0] += out[k + 1];
    }
    return out;
  }

  private static Chw normalise(Chw f) {
    double[] v = new double[f.v().length];
    for (int y = 0; y < f.h(); y++) {
      for (int x = 0; x < f.w(); x++) {
        double s = 0;
        for (int ch = 0; ch < f.c(); ch++) {
          s += f.at(ch, y, x) * f.at(ch, y, x);
        }
        double n = Math.sqrt(s) + 1e-10;
        for (int ch = 0; ch < f.c(); ch++) {
          v[(ch * f.h() + y) * f.w() + x] = f.at(ch, y, x) / n;
        }
      }
    }
    return new Chw(f.c(), f.h(), f.w(), v);
  }

  private static List<Chw> taps(Object[][] arch, TorchStateDict b, RgbImage img) {
    double[] shift = {-.030, -.088, -.188};
    double[] scale = {.458, .448, .450};
    double[] v = new double[3 * img.height() * img.width()];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < img.height(); y++) {
        for (int x = 0; x < img.width(); x++) {
          v[(c * img.height() + y) * img.width() + x] = (2.0 * img.get(y, x, c) - 1 - shift[c]) / scale[c];
        }
      }
    }
    Chw h = new Chw(3, img.height(), img.width(), v);
    List<Chw> taps = new ArrayList<>();
    for (Object[] l : arch) {
      if (l[0] instanceof Integer idx) {
        h = conv(h, b.tensors().get("features." + idx + ".weight").data(),
            b.tensors().get("features." + idx + ".bias").data(), (Integer) l[2], (Integer) l[3], (Integer) l[4],
            (Integer) l[5]);
      } else if (l[0].equals("fire")) {
        String p = "features." + l[1];
        Chw sq = relu(conv(h, b.tensors().get(p + ".squeeze.weight").data(), b.tensors().get(p + ".squeeze.bias").data(),
            (Integer) l[3], 1, 1, 0));
        Chw e1 = relu(conv(sq, b.tensors().get(p + ".expand1x1.weight").data(),
            b.tensors().get(p + ".expand1x1.bias").data(), (Integer) l[4], 1, 1, 0));
        Chw e3 = relu(conv(sq, b.tensors().get(p + ".expand3x3.weight").data(),
            b.tensors().get(p + ".expand3x3.bias").data(), (Integer) l[5], 3, 1, 1));
        double[] cat = new double[e1.v().length + e3.v().length]; // torch.cat(dim=1): e1's channels first
        System.arraycopy(e1.v(), 0, cat, 0, e1.v().length);
        System.arraycopy(e3.v(), 0, cat, e1.v().length, e3.v().length);
        h = new Chw(e1.c() + e3.c(), e1.h(), e1.w(), cat);
      } else if (l[0].equals("relu")) {
        h = relu(h);
      } else if (l[0].equals("pool")) {
        h = maxPool(h, (Integer) l[1], (Integer) l[2], false);
      } else if (l[0].equals("ceilpool")) {
        h = maxPool(h, (Integer) l[1], (Integer) l[2], true);
      } else {
        taps.add(h);
      }
    }
    return taps;
  }

  private static Chw conv(Chw x, float[] w, float[] bias, int out, int k, int stride, int pad) {
    int oh = (x.h() + 2 * pad - k) / stride + 1;
    int ow = (x.w() + 2 * pad - k) / stride + 1;
    double[] v = new double[out * oh * ow];
    for (int o = 0; o < out; o++) {
      for (int y = 0; y < oh; y++) {
        for (int xx = 0; xx < ow; xx++) {
          double s = bias[o];
          for (int i = 0; i < x.c(); i++) {
            for (int ky = 0; ky < k; ky++) {
              int iy = y * stride + ky - pad;
              if (iy < 0 || iy >= x.h()) {
                continue;
              }
              for (int kx = 0; kx < k; kx++) {
                int ix = xx * stride + kx - pad;
                if (ix >= 0 && ix < x.w()) {
                  s += w[((o * x.c() + i) * k + ky) * k + kx] * x.at(i, iy, ix);
                }
              }
            }
          }
          v[(o * oh + y) * ow + xx] = s;
        }
      }
    }
    return new Chw(out, oh, ow, v);
  }

  private static Chw relu(Chw x) {
    double[] r = x.v().clone();
    for (int i = 0; i < r.length; i++) {
      r[i] = Math.max(0, r[i]);
    }
    return new Chw(x.c(), x.h(), x.w(), r);
  }

  /** PyTorch MaxPool2d(k, s, padding 0): ceil_mode adds a last, partial window (clipped to the input). */
  private static Chw maxPool(Chw x, int k, int s, boolean ceil) {
    int oh = (ceil ? -Math.floorDiv(-(x.h() - k), s) : (x.h() - k) / s) + 1;
    int ow = (ceil ? -Math.floorDiv(-(x.w() - k), s) : (x.w() - k) / s) + 1;
    double[] v = new double[x.c() * oh * ow];
    for (int c = 0; c < x.c(); c++) {
      for (int y = 0; y < oh; y++) {
        for (int xx = 0; xx < ow; xx++) {
          double m = Double.NEGATIVE_INFINITY;
          for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
              int iy = y * s + ky;
              int ix = xx * s + kx;
              if (iy < x.h() && ix < x.w()) {
                m = Math.max(m, x.at(c, iy, ix));
              }
            }
          }
          v[(c * oh + y) * ow + xx] = m;
        }
      }
    }
    return new Chw(x.c(), oh, ow, v);
  }
}
