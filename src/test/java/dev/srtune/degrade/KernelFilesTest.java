package dev.srtune.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.Npy;
import dev.srtune.testing.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kernel:FILE} blurs: .npy and text matrices, normalised, with one-sentence errors. */
class KernelFilesTest {
  @TempDir Path tmp;

  @Test
  void readsNpyAndTextAndNormalises() throws Exception {
    Path npy = tmp.resolve("k.npy");
    Npy.write(npy, new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 5});
    BlurKernel a = KernelFiles.INSTANCE.read(npy.toString());
    assertEquals(2, a.height());
    assertEquals(3, a.width());
    assertEquals(3 / 20.0, a.at(0, 2), 1e-12);
    Path txt = tmp.resolve("k.txt");
    Files.writeString(txt, "# comment\n\n 1\t2, 3\n4 5 5\n");
    BlurKernel b = KernelFiles.INSTANCE.read(txt.toString());
    assertArrayEquals(a.values(), b.values(), 1e-12);
    assertEquals("kernel:" + txt, b.spec());
  }

  @Test
  void composedSpecWithAKernelFileParsesBack() throws Exception {
    Path txt = tmp.resolve("box+3.txt");
    Files.writeString(txt, "1 1 1\n1 1 1\n1 1 1\n");
    Degradation a = Degradations.operator("kernel:" + txt, "bicubic", 2, KernelFiles.INSTANCE);
    assertEquals("kernel:" + txt + "+bicubic", a.spec());
    assertEquals(a.spec(), Degradations.parse(a.spec(), 2, KernelFiles.INSTANCE).spec());
  }

  @Test
  void badFilesAreRefusedInOneSentence() throws Exception {
    Files.writeString(tmp.resolve("ragged.txt"), "1 2\n3\n");
    Files.writeString(tmp.resolve("words.txt"), "1 x\n");
    Files.writeString(tmp.resolve("empty.txt"), "# nothing\n");
    Files.writeString(tmp.resolve("zero.txt"), "1 -1\n");
    Npy.write(tmp.resolve("cube.npy"), new int[] {1, 2, 2}, new float[4]);
    Files.writeString(tmp.resolve("fake.npy"), "not numpy");
    for (String f : new String[] {"ragged.txt", "words.txt", "empty.txt", "zero.txt", "cube.npy", "fake.npy",
        "missing.npy"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Degradations.operator("kernel:" + tmp.resolve(f), "bicubic", 2, KernelFiles.INSTANCE));
      assertTrue(e.getMessage().endsWith(".") && !e.getMessage().contains("\n"), e.getMessage());
      System.out.println(f + ": " + e.getMessage());
    }
  }

  @Tag("integration")
  @Test
  void referenceKernelFileReadsBackExactly() {
    Path k = Shared.reference("blur/gauss_aniso_kernel.npy");
    BlurKernel fromFile = KernelFiles.INSTANCE.read(k.toString());
    Npy.Array ref = Npy.read(k);
    double sum = 0;
    for (float v : ref.data()) {
      sum += v;
    }
    for (int i = 0; i < ref.data().length; i++) {
      assertEquals(ref.data()[i] / sum, fromFile.values()[i], 1e-15);
    }
  }
}
