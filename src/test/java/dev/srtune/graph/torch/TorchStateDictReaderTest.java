package dev.srtune.graph.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.testing.TorchStateDictFiles;
import dev.srtune.testing.TorchStateDictFiles.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Both torch.save formats, written by the test in PyTorch's byte layout, read back value for value. */
class TorchStateDictReaderTest {
  @TempDir Path tmp;

  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zip", "legacy"})
  void readsTensorsWithShapesViewsAndSharedStorages(String format) throws IOException {
    float[] conv = random(4 * 3 * 3 * 3, 1);
    float[] bias = random(4, 2);
    float[] shared = random(12, 3);
    Map<String, Entry> dict = new LinkedHashMap<>();
    dict.put("features.0.weight", Entry.contiguous("0", new int[] {4, 3, 3, 3}, conv));
    dict.put("features.0.bias", Entry.contiguous("1", new int[] {4}, bias));
    // A transposed 3x2 view of the last 6 values of a shared storage, and a scalar at offset 1 of the same one.
    dict.put("head.t", new Entry("2", shared, 6, new int[] {3, 2}, new long[] {1, 3}));
    dict.put("head.scalar", new Entry("2", shared, 1, new int[] {}, new long[] {}));
    Path f = tmp.resolve("sd-" + format + ".pth");
    TorchStateDictFiles.write(f, format, dict);

    TorchStateDict sd = TorchStateDictReader.read(f);
    assertEquals(format, sd.format());
    assertEquals(List.of("features.0.weight", "features.0.bias", "head.t", "head.scalar"), List.copyOf(sd.tensors().keySet()));
    assertArrayEquals(conv, sd.require("features.0.weight", 4, 3, 3, 3).data());
    assertArrayEquals(bias, sd.require("features.0.bias", 4).data());
    float[] t = sd.require("head.t", 3, 2).data();
    // element (i, j) = shared[6 + i*1 + j*3]
    assertArrayEquals(new float[] {shared[6], shared[9], shared[7], shared[10], shared[8], shared[11]}, t);
    assertArrayEquals(new float[] {shared[1]}, sd.require("head.scalar").data());
    assertEquals("FloatStorage", sd.require("features.0.bias", 4).dtype());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zip", "legacy"})
  void readsOnlyTheWantedTensors(String format) throws IOException {
    Map<String, Entry> dict = new LinkedHashMap<>();
    float[] kept = random(6, 5);
    dict.put("classifier.1.weight", Entry.contiguous("0", new int[] {1000, 3}, random(3000, 6)));
    dict.put("features.0.weight", Entry.contiguous("1", new int[] {2, 3}, kept));
    dict.put("classifier.1.bias", Entry.contiguous("2", new int[] {1000}, random(1000, 7)));
    Path f = tmp.resolve("sd-" + format + ".pth");
    TorchStateDictFiles.write(f, format, dict);
    TorchStateDict sd = TorchStateDictReader.read(f, k -> k.startsWith("features."));
    assertEquals(List.of("features.0.weight"), List.copyOf(sd.tensors().keySet()));
    assertArrayEquals(kept, sd.require("features.0.weight", 2, 3).data());
  }

  @Test
  void wrongKeyOrShapeIsNamed() throws IOException {
    Path f = tmp.resolve("sd.pth");
    TorchStateDictFiles.writeZip(f, "x", Map.of("a.weight", Entry.contiguous("0", new int[] {2, 3}, random(6, 4))));
    TorchStateDict sd = TorchStateDictReader.read(f);
    var shape = assertThrows(IllegalArgumentException.class, () -> sd.require("a.weight", 3, 2));
    assertTrue(shape.getMessage().contains("[2, 3]"), shape.getMessage());
    var missing = assertThrows(IllegalArgumentException.class, () -> sd.require("b.weight", 2, 3));
    assertTrue(missing.getMessage().contains("a.weight"), missing.getMessage());
  }

  @Test
  void otherFilesAreRefusedClearly() throws IOException {
    Path f = tmp.resolve("not.pth");
    Files.writeString(f, "hello");
    var e = assertThrows(IOException.class, () -> TorchStateDictReader.read(f));
    assertTrue(e.getMessage().contains("neither"), e.getMessage());
  }

  @Test
  void oihwBecomesHwio() {
    // O=2, I=1, H=1, W=2: value = 10*o + w
    TorchTensor t = new TorchTensor("FloatStorage", new int[] {2, 1, 1, 2}, new float[] {0, 1, 10, 11});
    // HWIO [1,2,1,2]: index (w, o) -> w*2 + o
    assertArrayEquals(new float[] {0, 10, 1, 11}, t.hwioFromOihw());
  }

  @Test
  void halfPrecisionDecodes() {
    assertEquals(1.0f, TorchStateDictReader.halfToFloat((short) 0x3c00));
    assertEquals(-2.0f, TorchStateDictReader.halfToFloat((short) 0xc000));
    assertEquals(0x1p-24f, TorchStateDictReader.halfToFloat((short) 0x0001));
  }
}
