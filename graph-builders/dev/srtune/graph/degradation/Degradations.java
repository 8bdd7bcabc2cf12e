package dev.srtune.graph.degradation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Parses operator spec strings (the one place that does): the CLI, configs and reports all use these names.
 * Downsamplers are found by name in a registry, so a new one is one {@link #register} call.
 */
public final class Degradations {
  private static final Map<String, IntFunction<Degradation>> DOWNSAMPLERS = new LinkedHashMap<>();

  static {
    register("bicubic", s -> new BicubicDownsampler(s, Boundary.REPLICATE));
    register("bicubic-sym", s -> new BicubicDownsampler(s, Boundary.SYMMETRIC));
  }

  private Degradations() {}

  public static synchronized void register(String name, IntFunction<Degradation> factory) {
    DOWNSAMPLERS.put(name, factory);
  }

  /** The downsampler named {@code name} for factor {@code scale}. */
  public static synchronized Degradation downsampler(String name, int scale) {
    IntFunction<Degradation> f = DOWNSAMPLERS.get(name.trim().toLowerCase(java.util.Locale.ROOT));
    if (f == null) {
      throw new IllegalArgumentException(
          "Unknown downsampler '" + name + "'; use one of " + String.join(", ", DOWNSAMPLERS.keySet()) + ".");
    }
    if (scale < 2 || scale > 8) {
      throw new IllegalArgumentException("Scale " + scale + " is not supported; use an integer from 2 to 8.");
    }
    return f.apply(scale);
  }

  public static synchronized java.util.Set<String> downsamplerNames() {
    return java.util.Collections.unmodifiableSet(DOWNSAMPLERS.keySet());
  }
}
