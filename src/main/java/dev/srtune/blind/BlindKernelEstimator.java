package dev.srtune.blind;

import dev.srtune.UserInputException;
import dev.srtune.graph.blind.BlindKernelObjective;
import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.graph.train.Adam;
import dev.srtune.graph.train.ModelVariable;
import dev.srtune.graph.train.Optimizer;
import dev.srtune.image.RgbImage;
import dev.srtune.model.SessionConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Estimates the blur kernel k of an LR image y = D(k ⊛ x) from y alone by minimising the MAP objective of
 * {@link BlindKernelObjective} over the latent HR image x and k, with Adam on both at once and the image prior's
 * weight λ_x decreasing geometrically from {@code imageWeightStart} to {@code imageWeightEnd} (continuation, as
 * Kotera et al.: first only the strongest edges shape k, then finer ones). It runs on the most textured window of
 * y (at most {@code window}² LR pixels): flat regions say nothing about the blur.
 *
 * @param size K, the kernel side (odd)
 * @param downsampler D's name ({@code bicubic} etc.)
 * @param iterations Adam steps
 * @param window the side of the LR window the estimate runs on
 * @param initialSigma σ of the isotropic Gaussian k starts from
 * @param weights λ_c, λ_b, λ_s and p ({@code weights.image()} is ignored: λ_x follows the continuation)
 * @param imageWeightStart λ_x at the first step
 * @param imageWeightEnd λ_x at the last step
 * @param imageLearningRate Adam's rate on x
 * @param kernelLearningRate Adam's rate on k's parameters
 * @param gaussian k is an anisotropic Gaussian (three parameters) rather than free-form (K² softmax logits)
 */
public record BlindKernelEstimator(int size, String downsampler, int iterations, int window, double initialSigma,
    BlindKernelObjective.Weights weights, double imageWeightStart, double imageWeightEnd, double imageLearningRate,
    double kernelLearningRate, boolean gaussian) {
  private static final Logger LOG = LogManager.getLogger(BlindKernelEstimator.class);
  public static final int SIZE_DEFAULT = 15;
  public static final int MIN_SIZE = 3;
  public static final int MAX_SIZE = 31;

  public BlindKernelEstimator {
    if (size < MIN_SIZE || size > MAX_SIZE || size % 2 == 0) {
      throw new UserInputException("The kernel size must be odd, from " + MIN_SIZE + " to " + MAX_SIZE + ", got "
          + size + "; give --size (or estimate:size=K) an odd number in that range.");
    }
  }

  /**
   * The settings chosen in docs/results/blind-kernel (factor s): an anisotropic Gaussian kernel starting isotropic at
   * σ = {@value #INITIAL_SIGMA_PER_SCALE}·s, p = 0.3, λ_x from 0.1 to 0.01, 300 steps on a 64² LR window.
   */
  public static BlindKernelEstimator defaults(int size, int scale) {
    return new BlindKernelEstimator(size, "bicubic", 300, 64, INITIAL_SIGMA_PER_SCALE * scale,
        new BlindKernelObjective.Weights(0, 0.3, 1e-3, 1e-3, 0), 0.1, 0.01, 0.01, 0.05, true);
  }

  /** These settings with D = {@code name}. */
  public BlindKernelEstimator withDownsampler(String name) {
    return new BlindKernelEstimator(size, name, iterations, window, initialSigma, weights, imageWeightStart,
        imageWeightEnd, imageLearningRate, kernelLearningRate, gaussian);
  }

  /** These settings with {@code steps} Adam steps on a {@code side}² LR window. */
  public BlindKernelEstimator withSteps(int steps, int side) {
    return new BlindKernelEstimator(size, downsampler, steps, side, initialSigma, weights, imageWeightStart,
        imageWeightEnd, imageLearningRate, kernelLearningRate, gaussian);
  }

  /** These settings with λ_x going from {@code start} to {@code end} and the image prior's exponent {@code p}. */
  public BlindKernelEstimator withImagePrior(double start, double end, double p) {
    BlindKernelObjective.Weights w = new BlindKernelObjective.Weights(weights.image(), p, weights.centring(),
        weights.border(), weights.sparsity());
    return new BlindKernelEstimator(size, downsampler, iterations, window, initialSigma, w, start, end,
        imageLearningRate, kernelLearningRate, gaussian);
  }

  /** These settings with an anisotropic Gaussian ({@code true}) or a free-form kernel. */
  public BlindKernelEstimator withGaussian(boolean gaussianKernel) {
    return new BlindKernelEstimator(size, downsampler, iterations, window, initialSigma, weights, imageWeightStart,
        imageWeightEnd, imageLearningRate, kernelLearningRate, gaussianKernel);
  }

  /** σ of the starting kernel per unit of scale (the middle of ZSSR's random kernels' range, σ² in [0.35s, 5s]). */
  public static final double INITIAL_SIGMA_PER_SCALE = 0.8;

  /** The estimate and what it cost. */
  public record Estimate(BlurKernel kernel, double seconds, int iterations, int[] window, double dataMse) {
    /** What report.json and kernel.json record of the run (the kernel itself goes to its own files). */
    public Map<String, Object> describe(BlindKernelEstimator e) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", "MAP over latent HR image and kernel (hyper-Laplacian image prior, continuation), Adam");
      m.put("size", kernel.height());
      m.put("kernel_model", e.gaussian() ? "anisotropic Gaussian (3 parameters)" : "free-form (softmax logits)");
      m.put("downsampler", e.downsampler());
      m.put("iterations", iterations);
      m.put("window", Map.of("top", window[0], "left", window[1], "height", window[2], "width", window[3]));
      m.put("initial", "gaussian:" + kernel.height() + ":" + e.initialSigma());
      m.put("image_prior", Map.of("exponent", e.weights().exponent(), "weight_start", e.imageWeightStart(),
          "weight_end", e.imageWeightEnd()));
      m.put("kernel_priors", Map.of("centring", e.weights().centring(), "border", e.weights().border(),
          "sparsity", e.weights().sparsity(), "parametrisation", "softmax over the K^2 taps (non-negative, sum 1)"));
      m.put("learning_rates", Map.of("image", e.imageLearningRate(), "kernel_logits", e.kernelLearningRate()));
      m.put("data_mse", dataMse);
      m.put("seconds", Math.round(seconds * 1000) / 1000.0);
      return m;
    }
  }

  /** The smallest LR side an estimate of a K×K kernel at scale s needs. */
  public static int minLrSide(int size, int scale) {
    return Math.max(16, (size + scale - 1) / scale + 8);
  }

  /**
   * Estimates the kernel of {@code lr} for factor {@code scale}; its spec is {@code spec} (what the caller saves it
   * as, e.g. {@code kernel:out/kernel.npy}). Refuses, in one sentence, a scale without operators or an image too
   * small for the kernel.
   */
  public Estimate estimate(RgbImage lr, int scale, String spec) {
    Degradation d;
    try {
      d = Degradations.downsampler(downsampler, scale);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
    int min = minLrSide(size, scale);
    if (lr.height() < min || lr.width() < min) {
      throw new UserInputException(String.format(Locale.ROOT, "The LR image is %dx%d, too small to estimate a "
          + "%dx%d kernel at x%d (it needs at least %dx%d pixels); use a larger image or a smaller --size.",
          lr.height(), lr.width(), size, size, scale, min, min));
    }
    int[] win = texturedWindow(lr, Math.min(window, lr.height()), Math.min(window, lr.width()));
    RgbImage y = lr.crop(win[0], win[1], win[2], win[3]);
    long t0 = System.nanoTime();
    try (Graph g = new Graph(); Session s = new Session(g, SessionConfig.get())) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> yc;
      try (TFloat32 t = y.toTensor()) {
        yc = tf.constant(t);
      }
      Placeholder<TFloat32> lambda = tf.placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
      BlindKernelObjective e = BlindKernelObjective.build(tf, yc, y.height(), y.width(), d,
          BlurKernel.gaussian(size, initialSigma), lambda, weights, gaussian ? initialSigma : 0);
      ModelVariable xv = e.imageVariable();
      ModelVariable kv = e.kernelVariable().logits();
      Output<?>[] grads = g.addGradients("blind_kernel_gradients", new Output<?>[] {e.objective().asOutput()},
          new Output<?>[] {xv.output(), kv.output()}, null);
      Optimizer.Updates ux = Adam.defaults().build(tf.withSubScope("image_adam"), List.of(xv),
          new Output<?>[] {grads[0]});
      Optimizer.Updates uk = Adam.defaults().build(tf.withSubScope("kernel_adam"), List.of(kv),
          new Output<?>[] {grads[1]});
      s.initialize();
      s.runner().addTarget(e.initImage()).run().close();
      double mse = Double.NaN;
      for (int t = 0; t < iterations; t++) {
        double frac = iterations == 1 ? 1 : (double) t / (iterations - 1);
        double lam = imageWeightStart * Math.pow(imageWeightEnd / imageWeightStart, frac);
        List<Tensor> open = new ArrayList<>();
        try {
          Session.Runner r = s.runner().addTarget(ux.apply()).addTarget(uk.apply()).fetch(e.dataTerm())
              .feed(lambda, scalar(lam, open)).feed(ux.learningRate(), scalar(imageLearningRate, open))
              .feed(uk.learningRate(), scalar(kernelLearningRate, open));
          for (Optimizer.StepFeed f : ux.feeds()) {
            r.feed(f.placeholder(), scalar(f.valueAtStep().applyAsDouble(t + 1), open));
          }
          for (Optimizer.StepFeed f : uk.feeds()) {
            r.feed(f.placeholder(), scalar(f.valueAtStep().applyAsDouble(t + 1), open));
          }
          try (Result res = r.run()) {
            mse = ((TFloat32) res.get(0)).getFloat();
          }
        } finally {
          open.forEach(Tensor::close);
        }
        if (t % 100 == 0) {
          LOG.debug("kernel estimate: step {} / {}, data MSE {}, lambda {}", t, iterations, mse, lam);
        }
      }
      float[] k;
      try (Result res = s.runner().fetch(e.kernelVariable().kernel()).run()) {
        TFloat32 kt = (TFloat32) res.get(0);
        k = new float[size * size];
        kt.asRawTensor().data().asFloats().read(k);
      }
      double[] v = new double[k.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = k[i];
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Estimate(new BlurKernel(spec, size, size, v), seconds, iterations, win, mse);
    }
  }

  private static TFloat32 scalar(double v, List<Tensor> open) {
    TFloat32 t = TFloat32.scalarOf((float) v);
    open.add(t);
    return t;
  }

  /**
   * The h×w window of {@code img} with the largest mean squared luminance gradient, on a grid of step 8: the blur
   * shows at edges, so the estimate runs where there are most.
   */
  static int[] texturedWindow(RgbImage img, int h, int w) {
    int H = img.height();
    int W = img.width();
    double[] grey = new double[H * W];
    for (int i = 0; i < H; i++) {
      for (int j = 0; j < W; j++) {
        grey[i * W + j] = (img.get(i, j, 0) + img.get(i, j, 1) + img.get(i, j, 2)) / 3.0;
      }
    }
    // Integral image of the squared gradient magnitude.
    double[] sum = new double[(H + 1) * (W + 1)];
    for (int i = 0; i < H; i++) {
      for (int j = 0; j < W; j++) {
        double gx = j + 1 < W ? grey[i * W + j + 1] - grey[i * W + j] : 0;
        double gy = i + 1 < H ? grey[(i + 1) * W + j] - grey[i * W + j] : 0;
        sum[(i + 1) * (W + 1) + j + 1] = gx * gx + gy * gy + sum[i * (W + 1) + j + 1] + sum[(i + 1) * (W + 1) + j]
            - sum[i * (W + 1) + j];
      }
    }
    int bestTop = (H - h) / 2;
    int bestLeft = (W - w) / 2;
    double best = -1;
    for (int top = 0; top <= H - h; top += 8) {
      for (int left = 0; left <= W - w; left += 8) {
        double e = sum[(top + h) * (W + 1) + left + w] - sum[top * (W + 1) + left + w]
            - sum[(top + h) * (W + 1) + left] + sum[top * (W + 1) + left];
        if (e > best) {
          best = e;
          bestTop = top;
          bestLeft = left;
        }
      }
    }
    return new int[] {bestTop, bestLeft, h, w};
  }
}
