package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.blind.BlindKernelEstimator;
import dev.srtune.blind.KernelAccuracy;
import dev.srtune.degrade.KernelFiles;
import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.blind.KernelOutputs;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.image.ImageFiles;
import dev.srtune.image.RgbImage;
import dev.srtune.report.Outputs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code srtune kernel}: estimates the blur kernel of an LR image from the image alone. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
    description = "Estimate the blur kernel B of an LR image y = D(B x) from y alone (MAP over the latent HR image "
        + "and the kernel, see README 'Blind kernels'); writes K.npy (what --blur kernel:K.npy reads), K.png (a "
        + "picture of it) and K.json (settings, timing).")
public final class KernelCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, description = "The LR image (PNG); it is never modified.")
  Path input;

  @Option(names = "--scale", required = true, description = "Its downscaling factor, " + Degradations.SCALES + ".")
  int scale;

  @Option(names = "--size", description = "Kernel side, odd, 3 to 31. Default: "
      + BlindKernelEstimator.SIZE_DEFAULT + ".")
  Integer size;

  @Option(names = "--downsampler", defaultValue = "bicubic",
      description = "D after the blur: bicubic, bicubic-sym or lanczos3. Default: ${DEFAULT-VALUE}.")
  String downsampler;

  @Option(names = "--out", required = true, description = "The kernel to write (.npy); K.png and K.json go next "
      + "to it.")
  Path out;

  @Option(names = "--iterations", description = "Adam steps (advanced). Default: the estimator's.")
  Integer iterations;

  @Option(names = "--window", description = "Side of the LR window the estimate runs on (advanced). Default: the "
      + "estimator's.")
  Integer window;

  @Option(names = "--true-kernel", description = "Experiments: the true kernel (.npy or text); its error against "
      + "the estimate goes into K.json and the console.")
  Path trueKernel;

  @Option(names = "--hr", description = "Experiments, with --true-kernel: the HR image the LR was made from; the "
      + "PSNR between the LR it gives with the estimate and with the true kernel goes into K.json.")
  Path hr;

  @Option(names = "--kernel-model", defaultValue = "gaussian", description = "Experiments: what the kernel may be: "
      + "gaussian (an anisotropic Gaussian, 3 parameters) or free (any non-negative K x K kernel summing to 1, as "
      + "softmax logits); the README says why gaussian is the default. Default: ${DEFAULT-VALUE}.")
  String kernelModel;

  @Option(names = "--image-prior", paramLabel = "START:END:P", description = "Experiments: the weight of the "
      + "hyper-Laplacian prior on the latent HR image, decreasing geometrically from START to END over the steps, "
      + "and its exponent P (0 < P <= 2). Default: the estimator's (0.1:0.01:0.3).")
  String imagePrior;

  /** The estimator with --kernel-model and --image-prior applied. */
  private BlindKernelEstimator withExperiments(BlindKernelEstimator e) {
    boolean gaussian = switch (kernelModel) {
      case "gaussian" -> true;
      case "free" -> false;
      default -> throw new UserInputException("Unknown --kernel-model '" + kernelModel + "'; use gaussian or free.");
    };
    e = e.withGaussian(gaussian);
    if (imagePrior == null) {
      return e;
    }
    double[] v = threeNumbers(imagePrior);
    if (v == null) {
      throw new UserInputException("Bad --image-prior '" + imagePrior + "'; use START:END:P, e.g. 0.1:0.01:0.3.");
    }
    if (!(v[0] > 0 && v[1] > 0 && v[2] > 0 && v[2] <= 2) || Double.isInfinite(v[0]) || Double.isInfinite(v[1])) {
      throw new UserInputException("Bad --image-prior '" + imagePrior + "'; the weights must be positive and "
          + "0 < P <= 2, e.g. 0.1:0.01:0.3.");
    }
    return e.withImagePrior(v[0], v[1], v[2]);
  }

  /** A:B:C as three numbers, or null. */
  private static double[] threeNumbers(String spec) {
    String[] parts = spec.split(":", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
      throw new UserInputException("--out must name a .npy file, e.g. --out kernel.npy.");
    }
    new Outputs().file(out, "--out").file(KernelOutputs.picturePath(out), "--out (its .png)")
        .file(KernelOutputs.jsonPath(out), "--out (its .json)").reads(input, "--input").reads(trueKernel, "--true-kernel").reads(hr, "--hr").check();
    if (hr != null && trueKernel == null) {
      throw new UserInputException("--hr is only used with --true-kernel; give both or neither.");
    }
    BlindKernelEstimator e = withExperiments(estimator(size, downsampler, iterations, window, scale));
    RgbImage lr = ImageFiles.read(input);
    BlindKernelEstimator.Estimate est = e.estimate(lr, scale, "kernel:" + out);
    KernelOutputs.write(est.kernel(), out);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("input", input.toString());
    json.put("scale", scale);
    json.put("kernel", KernelOutputs.describe(est.kernel(), out));
    json.put("estimator", est.describe(e));
    String accuracy = "";
    if (trueKernel != null) {
      BlurKernel truth;
      try {
        truth = KernelFiles.INSTANCE.read(trueKernel.toString());
      } catch (IllegalArgumentException ex) {
        throw new UserInputException(ex.getMessage() + "; give --true-kernel a 2-D .npy or text matrix.");
      }
      RgbImage hrImage = hr == null ? null : ImageFiles.read(hr).modcrop(scale);
      if (hrImage != null && (hrImage.height() != lr.height() * scale || hrImage.width() != lr.width() * scale)) {
        throw new UserInputException("--hr is " + hrImage.height() + "x" + hrImage.width() + " but " + scale
            + "x the LR is " + lr.height() * scale + "x" + lr.width() * scale + "; give the HR the LR was made from.");
      }
      KernelAccuracy a = KernelAccuracy.measure(est.kernel(), truth, hrImage,
          Degradations.downsampler(downsampler, scale));
      json.put("accuracy", a.describe("kernel:" + trueKernel));
      accuracy = String.format(Locale.ROOT, "; error vs --true-kernel: normalised L2 %.3f%s", a.error().normalisedL2(),
          hrImage == null ? "" : String.format(Locale.ROOT, ", re-made LR %.2f dB (no blur %.2f dB)", a.lrPsnr(),
              a.lrPsnrNoBlur()));
    }
    dev.srtune.image.ImageFiles.AtomicFiles.writeString(KernelOutputs.jsonPath(out),
        new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
    System.out.printf(Locale.ROOT, "%s (%dx%d, x%d) -> %s, %s, %s: %dx%d kernel in %.1f s%s%n", input, lr.height(),
        lr.width(), scale, out, KernelOutputs.picturePath(out).getFileName(),
        KernelOutputs.jsonPath(out).getFileName(), est.kernel().height(), est.kernel().width(), est.seconds(), accuracy);
    return 0;
  }

  /** The estimator for the CLI's options (null: the default). */
  static BlindKernelEstimator estimator(Integer size, String downsampler, Integer iterations, Integer window,
      int scale) {
    BlindKernelEstimator d = BlindKernelEstimator.defaults(size != null ? size : BlindKernelEstimator.SIZE_DEFAULT,
        scale);
    if (iterations != null && iterations < 1) {
      throw new UserInputException("--iterations must be at least 1.");
    }
    if (window != null && window < 16) {
      throw new UserInputException("--window must be at least 16 LR pixels.");
    }
    if (!Degradations.downsamplerNames().contains(downsampler)) {
      throw new UserInputException("Unknown --downsampler '" + downsampler + "'; use one of "
          + String.join(", ", Degradations.downsamplerNames()) + ".");
    }
    return d.withDownsampler(downsampler).withSteps(iterations != null ? iterations : d.iterations(),
        window != null ? window : d.window());
  }
}
