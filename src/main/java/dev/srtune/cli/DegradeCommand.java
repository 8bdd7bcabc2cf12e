package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.blind.BlindKernelEstimator;
import dev.srtune.blind.EstimatedBlur;
import dev.srtune.blind.KernelAccuracy;
import dev.srtune.blind.KernelOutputs;
import dev.srtune.degrade.KernelFiles;
import dev.srtune.degrade.LrSynthesis;
import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.graph.degradation.BlurredDegradation;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.Npy;
import dev.srtune.image.RgbImage;
import dev.srtune.report.Outputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code srtune degrade}: makes an LR image from an HR image with A = D∘B, exactly as an evaluation does. */
@Command(name = "degrade", mixinStandardHelpOptions = true,
    description = "Make a low-resolution image from an HR image: modcrop to a multiple of the scale, blur (optional), "
        + "downscale. 8-bit input is rounded to 8 bits after each step as MATLAB/PIL do, which reproduces the "
        + "classic benchmark LR images.")
public final class DegradeCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, description = "The HR image (PNG); it is never modified.")
  Path input;

  @Option(names = "--scale", required = true, description = "Downscaling factor, " + Degradations.SCALES + ".")
  int scale;

  @Option(names = "--blur", description = "Blur B before downscaling: gaussian:SIZE:SIGMA, "
      + "gaussian:SIZE:SIGMA1,SIGMA2,THETA, disk:R, kernel:FILE or random:seed=N[,size=K][,noise=X]; or "
      + "estimate[:size=K]: make the LR with --lr-blur, then estimate its kernel from the LR into --save-kernel.")
  String blur;

  @Option(names = "--lr-blur", description = "With --blur estimate: the blur that makes the LR (the kernel the "
      + "estimate should find; its error is printed and saved). Default: none.")
  String lrBlur;

  @Option(names = "--downsampler", defaultValue = "bicubic",
      description = "bicubic (MATLAB, clamped borders), bicubic-sym (mirrored borders) or lanczos3 (PIL). "
          + "Default: ${DEFAULT-VALUE}.")
  String downsampler;

  @Option(names = "--out", required = true, description = "The LR image to write (PNG, written atomically).")
  Path out;

  @Option(names = "--save-kernel", description = "Also write the blur kernel as a 2-D float32 .npy file (with "
      + "--blur estimate: the estimate, with a .png picture and a .json of settings, timing and its error).")
  Path saveKernel;

  @Override
  public Integer call() throws Exception {
    if (EstimatedBlur.requested(blur)) {
      return estimate();
    }
    if (lrBlur != null) {
      throw new UserInputException("--lr-blur is the blur that makes the LR for --blur estimate; use --blur alone "
          + "otherwise.");
    }
    if (saveKernel != null && (blur == null || blur.isBlank())) {
      throw new UserInputException("--save-kernel needs --blur; give a blur or leave --save-kernel out.");
    }
    if (saveKernel != null && saveKernel.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw new UserInputException("--save-kernel and --out name the same file; give them different paths.");
    }
    new Outputs().file(out, "--out").file(saveKernel, "--save-kernel").reads(input, "--input")
        .reads(blur != null && blur.startsWith("kernel:") ? Path.of(blur.substring("kernel:".length())) : null,
            "--blur kernel file")
        .check();
    Degradation a;
    try {
      a = Degradations.operator(blur, downsampler, scale, KernelFiles.INSTANCE);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
    RgbImage hr = ImageFiles.read(input);
    int min = Math.max(a.minInputSize(), scale);
    if (hr.height() < min || hr.width() < min) {
      throw new UserInputException(String.format(Locale.ROOT, "%s is %dx%d, smaller than the %dx%d this operator "
          + "needs; use a larger image.", input, hr.height(), hr.width(), min, min));
    }
    RgbImage lr = LrSynthesis.asDegradeWrites(hr, a);
    ImageFiles.writePng(lr, out);
    if (saveKernel != null) {
      BlurKernel k = ((BlurredDegradation) a).blur().kernel();
      float[] v = new float[k.values().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) k.values()[i];
      }
      Npy.write(saveKernel, new int[] {k.height(), k.width()}, v);
    }
    System.out.printf(Locale.ROOT, "%s (%dx%d) -> %s (%dx%d) with %s x%d%n", input, hr.height(), hr.width(), out,
        lr.height(), lr.width(), a.spec(), scale);
    return 0;
  }

  /** --blur estimate: the LR made with --lr-blur, then its kernel estimated from the LR alone. */
  private int estimate() throws Exception {
    if (saveKernel == null) {
      throw new UserInputException("--blur estimate writes the estimated kernel to --save-kernel; give "
          + "--save-kernel K.npy.");
    }
    if (!saveKernel.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
      throw new UserInputException("--save-kernel must name a .npy file, e.g. --save-kernel kernel.npy.");
    }
    if (saveKernel.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw new UserInputException("--save-kernel and --out name the same file; give them different paths.");
    }
    new Outputs().file(out, "--out").file(saveKernel, "--save-kernel")
        .file(KernelOutputs.picturePath(saveKernel), "--save-kernel (its .png)")
        .file(KernelOutputs.jsonPath(saveKernel), "--save-kernel (its .json)").reads(input, "--input")
        .reads(lrBlur != null && lrBlur.startsWith("kernel:") ? Path.of(lrBlur.substring("kernel:".length())) : null,
            "--lr-blur kernel file")
        .check();
    BlindKernelEstimator e = EstimatedBlur.estimator(blur, downsampler, scale);
    Degradation a;
    try {
      a = Degradations.operator(lrBlur, downsampler, scale, KernelFiles.INSTANCE);
    } catch (IllegalArgumentException ex) {
      throw new UserInputException(ex.getMessage());
    }
    RgbImage hr = ImageFiles.read(input);
    int min = Math.max(Math.max(a.minInputSize(), scale), BlindKernelEstimator.minLrSide(e.size(), scale) * scale);
    if (hr.height() < min || hr.width() < min) {
      throw new UserInputException(String.format(Locale.ROOT, "%s is %dx%d, smaller than the %dx%d this operator "
          + "and a %dx%d kernel estimate need; use a larger image.", input, hr.height(), hr.width(), min, min,
          e.size(), e.size()));
    }
    RgbImage lr = LrSynthesis.asDegradeWrites(hr, a);
    BlindKernelEstimator.Estimate est = e.estimate(lr, scale, "kernel:" + saveKernel);
    ImageFiles.writePng(lr, out);
    KernelOutputs.write(est.kernel(), saveKernel);
    java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
    json.put("hr", input.toString());
    json.put("lr", out.toString());
    json.put("lr_operator", a.spec());
    json.put("scale", scale);
    json.put("kernel", KernelOutputs.describe(est.kernel(), saveKernel));
    json.put("estimator", est.describe(e));
    String accuracy = "";
    if (a instanceof BlurredDegradation bd) {
      KernelAccuracy acc = KernelAccuracy.measure(est.kernel(), bd.blur().kernel(), hr.modcrop(scale),
          bd.downsampler());
      json.put("accuracy", acc.describe(bd.blur().spec()));
      accuracy = String.format(Locale.ROOT, "; error vs %s: normalised L2 %.3f, re-made LR %.2f dB (no blur %.2f dB)",
          bd.blur().spec(), acc.error().normalisedL2(), acc.lrPsnr(), acc.lrPsnrNoBlur());
    }
    dev.srtune.image.ImageFiles.AtomicFiles.writeString(KernelOutputs.jsonPath(saveKernel),
        new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
    System.out.printf(Locale.ROOT, "%s (%dx%d) -> %s (%dx%d) with %s x%d; kernel estimated from it in %.1f s -> %s%s%n",
        input, hr.height(), hr.width(), out, lr.height(), lr.width(), a.spec(), scale, est.seconds(), saveKernel,
        accuracy);
    return 0;
  }
}
