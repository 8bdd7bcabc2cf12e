package dev.srtune.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;

/** {@code ../shared/reference/INDEX.json}: the independently computed numbers the tests compare against. */
public final class ReferenceIndex {
  private ReferenceIndex() {}

  public static JsonObject root() {
    try {
      return JsonParser.parseString(Files.readString(Shared.reference("INDEX.json"))).getAsJsonObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code INDEX.json[section][entry]}, e.g. {@code section("metrics", "butterfly_x2")}. */
  public static JsonObject section(String section, String entry) {
    return root().getAsJsonObject(section).getAsJsonObject(entry);
  }
}
