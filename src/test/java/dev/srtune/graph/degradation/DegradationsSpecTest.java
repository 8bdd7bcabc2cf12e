package dev.srtune.graph.degradation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec strings: one parser, canonical forms that parse back to the same operator, one-sentence errors. */
class DegradationsSpecTest {

  @ParameterizedTest
  @ValueSource(strings = {"bicubic", "bicubic-sym", "lanczos3", "gaussian:15:1.6+bicubic",
      "gaussian:15:2.5,1,30+bicubic-sym", "disk:5+lanczos3", "disk:2.5+bicubic", "random:seed=7+bicubic",
      "random:seed=-3,size=21,noise=0.4+lanczos3"})
  void canonicalSpecParsesBackToTheSameOperator(String spec) {
    for (int s : new int[] {2, 3, 4, 8}) {
      Degradation a = Degradations.parse(spec, s);
      assertEquals(spec, a.spec());
      assertEquals(s, a.scale());
      Degradation again = Degradations.parse(a.spec(), s);
      assertEquals(a.spec(), again.spec());
      if (a instanceof BlurredDegradation b) {
        assertEquals(b.blur().kernel(), ((BlurredDegradation) again).blur().kernel(), "same kernel values");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gaussian:15:1.60", "gaussian:15:2.5,1.0,30.0", " disk:5.0 ", "random:noise=0,seed=7"})
  void equivalentSpellingsCanonicalise(String blur) {
    Degradation a = Degradations.operator(blur, "bicubic", 2, KernelSource.NONE);
    assertEquals(a.spec(), Degradations.parse(a.spec(), 2).spec());
    assertTrue(a.spec().endsWith("+bicubic"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bicubicc", "gaussian", "gaussian:15", "gaussian:15:x", "gaussian:15:1,2",
      "gaussian:0:1.6", "gaussian:15:-1", "disk:", "disk:-2", "random:seed=x", "random:size=9", "random:seed=1,k=2",
      "random:seed=1,noise=1.5", "motion:5", "gaussian:15:1.6+nearest", "kernel:k.npy+bicubic", "",
      "gaussian:15:x+bicubic", "gaussian:15:1,2+bicubic", "disk:-2+lanczos3", "random:seed=x+bicubic", "motion:5+bicubic"})
  void badSpecsAreRefusedInOneSentence(String spec) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Degradations.parse(spec, 2));
    String m = e.getMessage();
    assertTrue(m.endsWith("."), m);
    assertTrue(!m.contains("\n"), m);
    System.out.println("bad spec '" + spec + "': " + m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nope:1", "gaussian:15:x"})
  void blurErrorsNameTheAcceptedForms(String blur) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Degradations.operator(blur, "bicubic", 2, KernelSource.NONE));
    assertTrue(e.getMessage().contains("gaussian:SIZE:SIGMA"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 9, 0})
  void unsupportedScalesAreRefused(int s) {
    assertThrows(IllegalArgumentException.class, () -> Degradations.parse("bicubic", s));
    assertThrows(IllegalArgumentException.class, () -> Degradations.parse("disk:3+bicubic", s));
  }

  @ParameterizedTest
  @ValueSource(strings = {"kernel:some/file+name.npy"})
  void kernelSpecsGoThroughTheKernelSource(String blur) {
    KernelSource fake = location -> new BlurKernel("kernel:" + location, 1, 3, new double[] {1, 2, 1});
    Degradation a = Degradations.parse(blur + "+lanczos3", 4, fake);
    assertInstanceOf(BlurredDegradation.class, a);
    assertEquals(blur + "+lanczos3", a.spec());
    assertEquals(0.5, ((BlurredDegradation) a).blur().kernel().at(0, 1), 0);
  }
}
