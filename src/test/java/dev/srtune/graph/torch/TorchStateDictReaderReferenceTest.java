package dev.srtune.graph.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.srtune.testing.ReferenceIndex;
import dev.srtune.testing.Shared;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The published files: LPIPS v0.1 heads (legacy format) and the SqueezeNet 1.1 backbone (zip format). */
@Tag("integration")
class TorchStateDictReaderReferenceTest {

  @ParameterizedTest(name = "{0}.pth")
  @ValueSource(strings = {"alex", "vgg", "squeeze"})
  void officialHeadsHaveTheListedKeysAndShapes(String net) throws IOException {
    TorchStateDict sd = TorchStateDictReader.read(Shared.path("models/lpips/linear_v0.1/" + net + ".pth"));
    assertEquals("legacy", sd.format());
    JsonObject listed = ReferenceIndex.root().getAsJsonObject("files")
        .getAsJsonObject("../models/lpips/linear_v0.1/" + net + ".pth").getAsJsonObject("params")
        .getAsJsonObject("tensors");
    assertEquals(listed.keySet(), sd.tensors().keySet());
    for (Map.Entry<String, com.google.gson.JsonElement> e : listed.entrySet()) {
      JsonArray s = e.getValue().getAsJsonArray();
      int[] shape = new int[s.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = s.get(i).getAsInt();
      }
      float[] w = sd.require(e.getKey(), shape).data();
      // LPIPS trains its linear heads with weights clamped at >= 0: a misread file would not be.
      for (float v : w) {
        assertTrue(v >= 0 && v < 100, e.getKey() + " has " + v);
      }
    }
  }

  @Test
  void squeezeNetBackboneHasTorchvisionNames() throws IOException {
    TorchStateDict sd = TorchStateDictReader.read(Shared.path("models/lpips/squeezenet1_1-features.pth"));
    assertEquals("zip", sd.format());
    assertEquals(50, sd.tensors().size());
    sd.require("features.0.weight", 64, 3, 3, 3);
    sd.require("features.3.squeeze.weight", 16, 64, 1, 1);
    sd.require("features.12.expand3x3.weight", 256, 64, 3, 3);
    sd.require("features.12.expand3x3.bias", 256);
    double sumAbs = 0;
    for (float v : sd.require("features.0.weight", 64, 3, 3, 3).data()) {
      assertTrue(Float.isFinite(v));
      sumAbs += Math.abs(v);
    }
    assertTrue(sumAbs > 1, "trained weights are not all zero");
  }
}
