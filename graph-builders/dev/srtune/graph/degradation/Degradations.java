package dev.srtune.graph.degradation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Parses operator spec strings (the one place that does): the CLI, configs and reports all use these names.
 * Downsamplers D and blurs B are found by name in registries, so a new one is one {@link #register} call.
 *
 * <ul>
 *   <li>downsampler: {@code bicubic}, {@code bicubic-sym}, {@code lanczos3}</li>
 *   <li>blur: {@code gaussian:SIZE:SIGMA}, {@code gaussian:SIZE:SIGMA1,SIGMA2,THETA}, {@code disk:R},
 *       {@code kernel:FILE}, {@code random:seed=N[,size=K][,noise=X]}</li>
 *   <li>composed A = D∘B: {@code BLUR+DOWNSAMPLER}, e.g. {@code gaussian:15:1.6+bicubic}</li>
 * </ul>
 */
public final class Degradations {
  /** Makes a blur kernel from the text after {@code name:}; the scale is the downscaling factor s. */
  @FunctionalInterface
  public interface BlurFactory {
    BlurKernel create(String arguments, int scale, KernelSource files);
  }

  private record BlurEntry(String usage, BlurFactory factory) {}

  private static final Map<String, IntFunction<Degradation>> DOWNSAMPLERS = new LinkedHashMap<>();
  private static final Map<String, BlurEntry> BLURS = new LinkedHashMap<>();

  static {
    register("bicubic", s -> new BicubicDownsampler(s, Boundary.REPLICATE));
    register("bicubic-sym", s -> new BicubicDownsampler(s, Boundary.SYMMETRIC));
    register("lanczos3", LanczosDownsampler::new);
    registerBlur("gaussian", "gaussian:SIZE:SIGMA or gaussian:SIZE:SIGMA1,SIGMA2,THETA_DEGREES",
        (args, s, files) -> gaussian(args));
    registerBlur("disk", "disk:RADIUS", (args, s, files) -> BlurKernel.disk(number(args, "radius")));
    registerBlur("kernel", "kernel:FILE (.npy or a text matrix)", (args, s, files) -> {
      if (args.isBlank()) {
        throw new IllegalArgumentException("kernel: needs a file name");
      }
      return files.read(args);
    });
    registerBlur("random", "random:seed=N[,size=K][,noise=X]", Degradations::random);
    registerBlur("estimate", "estimate[:size=K] (tune, eval and degrade estimate it from the LR image)",
        (args, s, files) -> {
          throw new IllegalArgumentException("an estimated kernel needs the LR image; give --blur estimate to "
              + "tune, eval or degrade, or make the kernel file with 'srtune kernel'");
        });
  }

  private Degradations() {}

  public static synchronized void register(String name, IntFunction<Degradation> factory) {
    DOWNSAMPLERS.put(name, factory);
  }

  public static synchronized void registerBlur(String name, String usage, BlurFactory factory) {
    BLURS.put(name, new BlurEntry(usage, factory));
  }

  /** The downsampler named {@code name} for factor {@code scale}. */
  public static synchronized Degradation downsampler(String name, int scale) {
    IntFunction<Degradation> f = DOWNSAMPLERS.get(name.trim().toLowerCase(Locale.ROOT));
    if (f == null) {
      throw new IllegalArgumentException(
          "Unknown downsampler '" + name + "'; use one of " + String.join(", ", DOWNSAMPLERS.keySet()) + ".");
    }
    requireScale(scale);
    return f.apply(scale);
  }

  /** The blur B described by {@code spec}; {@code files} reads {@code kernel:} specs. */
  public static synchronized Blur blur(String spec, int scale, KernelSource files) {
    String s = spec.trim();
    int colon = s.indexOf(':');
    BlurEntry e = colon < 0 ? null : BLURS.get(s.substring(0, colon).toLowerCase(Locale.ROOT));
    if (e == null) {
      throw new IllegalArgumentException("Unknown blur '" + spec + "'; use " + blurForms() + ".");
    }
    requireScale(scale);
    try {
      return new Blur(e.factory().create(s.substring(colon + 1), scale, files));
    } catch (IllegalArgumentException ex) {
      String why = ex.getMessage() == null ? "" : " (" + stripFullStop(ex.getMessage()) + ")";
      throw new IllegalArgumentException("Bad blur '" + spec + "'" + why + "; use " + e.usage() + ".", ex);
    }
  }

  /** A = D∘B from the CLI's two options; {@code blurSpec} may be null or blank for no blur. */
  public static Degradation operator(String blurSpec, String downsampler, int scale, KernelSource files) {
    Degradation d = downsampler(downsampler, scale);
    if (blurSpec == null || blurSpec.isBlank()) {
      return d;
    }
    return new BlurredDegradation(blur(blurSpec, scale, files), d);
  }

  /** Parses a full operator spec as {@link Degradation#spec()} writes it: {@code D} or {@code B+D}. */
  public static Degradation parse(String spec, int scale, KernelSource files) {
    String s = spec.trim();
    int join = s.lastIndexOf(BlurredDegradation.JOIN);
    if (join > 0 && isDownsampler(s.substring(join + 1))) {
      return operator(s.substring(0, join), s.substring(join + 1), scale, files);
    }
    if (isDownsampler(s)) {
      return downsampler(s, scale);
    }
    throw new IllegalArgumentException("Unknown operator '" + spec + "'; use a downsampler ("
        + String.join(", ", downsamplerNames()) + ") optionally preceded by a blur and '+' (" + blurForms()
        + "), e.g. gaussian:15:1.6+bicubic.");
  }

  public static Degradation parse(String spec, int scale) {
    return parse(spec, scale, KernelSource.NONE);
  }

  public static synchronized Set<String> downsamplerNames() {
    return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(DOWNSAMPLERS.keySet()));
  }

  private static synchronized boolean isDownsampler(String name) {
    return DOWNSAMPLERS.containsKey(name.trim().toLowerCase(Locale.ROOT));
  }

  private static synchronized String blurForms() {
    List<String> forms = new ArrayList<>();
    BLURS.values().forEach(e -> forms.add(e.usage()));
    return String.join(", ", forms);
  }

  public static final int MIN_SCALE = 2;
  public static final int MAX_SCALE = 8;
  /** The scales operators exist for, as help texts and errors say it (one truth). */
  public static final String SCALES = "an integer from 2 to 8";

  private static void requireScale(int scale) {
    if (scale < MIN_SCALE || scale > MAX_SCALE) {
      throw new IllegalArgumentException("Scale " + scale + " is not supported; use " + SCALES + ".");
    }
  }

  private static BlurKernel gaussian(String args) {
    String[] parts = args.split(":", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected a size and the σ values");
    }
    int size = integer(parts[0], "size");
    String[] sigmas = parts[1].split(",", -1);
    if (sigmas.length == 1) {
      return BlurKernel.gaussian(size, number(sigmas[0], "sigma"));
    }
    if (sigmas.length == 3) {
      return BlurKernel.anisotropicGaussian(size, number(sigmas[0], "sigma1"), number(sigmas[1], "sigma2"),
          number(sigmas[2], "theta"));
    }
    throw new IllegalArgumentException("expected one σ or σ1,σ2,θ");
  }

  private static BlurKernel random(String args, int scale, KernelSource files) {
    Long seed = null;
    int size = RandomGaussianKernel.SIZE_DEFAULT;
    double noise = RandomGaussianKernel.NOISE_DEFAULT;
    for (String item : args.split(",", -1)) {
      String[] kv = item.split("=", -1);
      if (kv.length != 2) {
        throw new IllegalArgumentException("expected key=value pairs");
      }
      switch (kv[0].trim()) {
        case "seed" -> {
          try {
            seed = Long.parseLong(kv[1].trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the seed must be an integer");
          }
        }
        case "size" -> size = integer(kv[1], "size");
        case "noise" -> noise = number(kv[1], "noise");
        default -> throw new IllegalArgumentException("unknown key '" + kv[0].trim() + "'");
      }
    }
    if (seed == null) {
      throw new IllegalArgumentException("the seed is required");
    }
    return new RandomGaussianKernel(seed, scale, size, noise).kernel();
  }

  private static int integer(String text, String what) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the " + what + " must be an integer, got '" + text.trim() + "'");
    }
  }

  private static double number(String text, String what) {
    try {
      double v = Double.parseDouble(text.trim());
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("the " + what + " must be a number, got '" + text.trim() + "'");
  }

  private static String stripFullStop(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
