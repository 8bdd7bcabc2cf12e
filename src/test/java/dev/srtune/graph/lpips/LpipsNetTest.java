package dev.srtune.graph.lpips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Architecture tables: tap channels as the official heads have them, and the smallest usable input. */
class LpipsNetTest {

  @Test
  void tapChannelsMatchTheOfficialHeads() {
    assertArrayEquals(new int[] {64, 192, 384, 256, 256}, LpipsNet.ALEX.tapChannels());
    assertArrayEquals(new int[] {64, 128, 256, 512, 512}, LpipsNet.VGG.tapChannels());
    assertArrayEquals(new int[] {64, 128, 256, 384, 384, 512, 512}, LpipsNet.SQUEEZE.tapChannels());
  }

  @Test
  void smallestInputsWorkedOutByHand() {
    // VGG16: four floor 2x2 pools need 16 pixels. AlexNet: the second 3x3 pool needs 3 rows after the first,
    // i.e. 7 after conv1 (k11 s4 p2): n >= 31. SqueezeNet 1.1: the third ceil pool needs 3, the second 6,
    // the first 12 after conv1 (k3 s2): n >= 25.
    assertEquals(16, LpipsNet.VGG.minInputSize());
    assertEquals(31, LpipsNet.ALEX.minInputSize());
    assertEquals(25, LpipsNet.SQUEEZE.minInputSize());
    // 64x64: INDEX.json lpips_checks.tap_shapes_for_64x64_input_CHW ends at 3x3 for squeeze.
    assertEquals(3, LpipsNet.SQUEEZE.lastTapSize(64));
    assertEquals(0, LpipsNet.SQUEEZE.lastTapSize(24));
  }

  @Test
  void idsAreThoseOfTheLpipsPackage() {
    assertEquals(LpipsNet.ALEX, LpipsNet.fromId("alex"));
    assertEquals("squeeze", LpipsNet.SQUEEZE.id());
  }
}
