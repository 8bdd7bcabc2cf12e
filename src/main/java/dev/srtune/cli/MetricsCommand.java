package dev.srtune.cli;

import com.google.gson.GsonBuilder;
import dev.srtune.UserInputException;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.LpipsDistance;
import dev.srtune.metrics.LpipsWeightFiles;
import dev.srtune.metrics.Psnr;
import dev.srtune.metrics.Ssim;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code srtune metrics}: PSNR (RGB and Y), SSIM (Y) and LPIPS of two images, each with its convention. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
    description = "Compare two images of the same size: PSNR on RGB [0,1] (no shave), PSNR and SSIM on the Y "
        + "channel (BT.601 as MATLAB rgb2ycbcr, 8-bit, shaved), and LPIPS v0.1. All are symmetric in A and B.")
public final class MetricsCommand implements Callable<Integer> {
  @Option(names = "--a", required = true, description = "First image, e.g. the ground truth (PNG).")
  Path a;

  @Option(names = "--b", required = true, description = "Second image, e.g. the super-resolved output (PNG).")
  Path b;

  @Option(names = "--shave", defaultValue = "0",
      description = "Pixels removed at each border for the Y metrics (usually the scale). Default: ${DEFAULT-VALUE}.")
  int shave;

  @Option(names = "--json", description = "Print one JSON object instead of lines.")
  boolean json;

  @Mixin LpipsOptions lpips;

  @Override
  public Integer call() {
    RgbImage ia = ImageFiles.read(a);
    RgbImage ib = ImageFiles.read(b);
    if (ia.height() != ib.height() || ia.width() != ib.width()) {
      throw new UserInputException("The images differ in size (" + ia.height() + "x" + ia.width() + " and "
          + ib.height() + "x" + ib.width() + "); compare an output with the ground truth of the same size.");
    }
    if (shave < 0 || ia.height() - 2 * shave < 11 || ia.width() - 2 * shave < 11) {
      throw new UserInputException("--shave " + shave + " leaves less than the 11x11 pixels SSIM needs of a "
          + ia.height() + "x" + ia.width() + " image; use a shave between 0 and "
          + Math.max(0, (Math.min(ia.height(), ia.width()) - 11) / 2) + ".");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("psnr_rgb", Psnr.rgb(ia, ib));
    m.put("psnr_y", Psnr.y(ia, ib, shave));
    m.put("ssim_y", Ssim.y(ia, ib, shave));
    Optional<LpipsWeightFiles> files = lpips.files(false);
    String lpipsNote = null;
    if (files.isPresent()) {
      int min = files.get().net().minInputSize();
      if (ia.height() < min || ia.width() < min) {
        lpipsNote = "LPIPS " + files.get().net().id() + " left out: it needs at least " + min + "x" + min + " pixels.";
      } else {
        try (LpipsDistance d = new LpipsDistance(files.get().load())) {
          m.put("lpips", d.between(ia, ib));
          m.put("lpips_net", d.net().id());
        }
      }
    }
    m.put("shave", shave);
    m.put("size", new int[] {ia.height(), ia.width()});
    Map<String, String> conventions = new LinkedHashMap<>();
    conventions.put("psnr_rgb", "RGB in [0,1] as read, all pixels and channels, no shave, peak 1");
    conventions.put("psnr_y", "Y = 16 + 65.481 R + 128.553 G + 24.966 B of the 8-bit images (MATLAB rgb2ycbcr, "
        + "not rounded), shaved, peak 255");
    conventions.put("ssim_y", "Wang et al. 2004: 11x11 Gaussian sigma 1.5, K1 0.01, K2 0.03, L 255, valid "
        + "filtering, on the Y of psnr_y");
    conventions.put("lpips", "LPIPS v0.1 (linear heads, spatial average) on RGB mapped from [0,1] to [-1,1]");
    m.put("conventions", conventions);
    if (json) {
      System.out.println(new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create()
          .toJson(m));
    } else {
      System.out.printf(Locale.ROOT, "PSNR RGB   %s dB  (RGB [0,1], no shave)%n", db((double) m.get("psnr_rgb")));
      System.out.printf(Locale.ROOT, "PSNR Y     %s dB  (BT.601 Y of the 8-bit images, shave %d)%n",
          db((double) m.get("psnr_y")), shave);
      System.out.printf(Locale.ROOT, "SSIM Y     %.6f     (Wang et al. 2004, shave %d)%n", (double) m.get("ssim_y"), shave);
      if (m.containsKey("lpips")) {
        System.out.printf(Locale.ROOT, "LPIPS      %.6f     (v0.1, %s)%n", (double) m.get("lpips"), m.get("lpips_net"));
      }
    }
    if (lpipsNote != null) {
      System.err.println(lpipsNote);
    }
    return 0;
  }

  private static String db(double v) {
    return Double.isInfinite(v) ? "inf (identical)" : String.format(Locale.ROOT, "%.4f", v);
  }
}
