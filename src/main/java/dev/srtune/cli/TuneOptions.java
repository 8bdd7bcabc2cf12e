package dev.srtune.cli;

import dev.srtune.UserInputException;
import dev.srtune.blind.BlindKernelEstimator;
import dev.srtune.blind.EstimatedBlur;
import dev.srtune.degrade.KernelFiles;
import dev.srtune.graph.blind.RefinableBlurDegradation;
import dev.srtune.graph.degradation.Blur;
import dev.srtune.graph.degradation.BlurredDegradation;
import dev.srtune.tune.loss.KernelRefinement;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.degradation.Degradations;
import dev.srtune.metrics.LpipsWeightFiles;
import dev.srtune.graph.train.Adam;
import dev.srtune.graph.train.Optimizer;
import dev.srtune.graph.train.SgdMomentum;
import dev.srtune.model.Precision;
import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.LearningRateSchedule;
import dev.srtune.tune.Sampler;
import dev.srtune.tune.Schedules;
import dev.srtune.tune.LrLpips;
import dev.srtune.tune.PlateauStopRule;
import dev.srtune.tune.StopRule;
import dev.srtune.tune.TrainLayers;
import dev.srtune.tune.SessionSettings;
import dev.srtune.tune.WholeImagePasses;
import dev.srtune.tune.loss.DataFidelity;
import dev.srtune.tune.loss.LossTerm;
import dev.srtune.tune.loss.TotalVariationTerm;
import dev.srtune.tune.loss.VarianceMask;
import dev.srtune.uncertainty.McDropoutSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The fine-tuning options shared by {@code tune}, {@code demo} and {@code eval} (a picocli mixin). */
public final class TuneOptions {
  @Option(names = "--scale", description = "Super-resolution factor of the LR input, " + Degradations.SCALES
      + ". Default: the model's own (its srtune.json).")
  Integer scale;

  @Option(names = "--downsampler", defaultValue = "bicubic",
      description = "Downsampler D of the image formation model A = D∘B: bicubic (MATLAB, clamped borders), "
          + "bicubic-sym (mirrored borders), lanczos3 (PIL). Default: ${DEFAULT-VALUE}.")
  String downsampler;

  @Option(names = "--blur", description = "Blur B applied before downscaling (none by default): gaussian:SIZE:SIGMA, "
      + "gaussian:SIZE:SIGMA1,SIGMA2,THETA, disk:R, kernel:FILE (.npy or text), random:seed=N[,size=K][,noise=X] "
      + "or estimate[:size=K] (estimated from the LR image first, saved as kernel.npy and kernel.png).")
  String blur;

  @Option(names = "--noise", defaultValue = "none", paramLabel = "none|auto|SIGMA", description = "Stop once the "
      + "LR residual's RMS is down to the noise level of the LR (the discrepancy principle; fitting further fits the "
      + "noise): auto estimates it from the LR (median of its finest diagonal wavelet coefficients), SIGMA gives it on "
      + "the 0..255 scale; none leaves only --stop. Default: ${DEFAULT-VALUE}.")
  String noise;

  /** What --jpeg and --noise adapt to each LR file. */
  dev.srtune.tune.ImagePolicies imagePolicies() {
    return new dev.srtune.tune.ImagePolicies(jpegPolicy(), dev.srtune.tune.NoisePolicy.parse(noise));
  }

  @Option(names = "--jpeg", defaultValue = "auto", paramLabel = "auto|none|quality:Q", description = "Whether A "
      + "includes the LR's JPEG compression, A = JPEG∘D∘B (a differentiable JPEG: the 8x8 DCT of YCbCr, the tables, "
      + "rounding): auto uses a JPEG input's own tables and chroma subsampling (and nothing for a PNG); none leaves "
      + "it out; quality:Q assumes libjpeg's tables at quality Q with 4:2:0, for a PNG that was a JPEG. Default: "
      + "${DEFAULT-VALUE}.")
  String jpeg;

  @Option(names = "--jpeg-fit", defaultValue = "operator", paramLabel = "operator|consistency", description = "How "
      + "the JPEG model enters: operator (A = JPEG∘D∘B, the plain data term on JPEG(A f(y))) or consistency (the "
      + "distance of A f(y) to the file's quantisation bins). Default: ${DEFAULT-VALUE}.")
  String jpegFit;

  @Option(names = "--jpeg-rounding", defaultValue = "straight-through", paramLabel = "straight-through|cubic",
      description = "How the JPEG in A rounds its quantised coefficients: straight-through (exact rounding, identity "
          + "gradient) or cubic (round(x) + (x - round(x))^3). Default: ${DEFAULT-VALUE}.")
  String jpegRounding;

  /** The --jpeg policy, parsed (one sentence for a bad value). */
  dev.srtune.tune.JpegPolicy jpegPolicy() {
    var r = switch (jpegRounding == null ? "straight-through" : jpegRounding.trim()) {
      case "straight-through" -> dev.srtune.graph.degradation.JpegModel.Rounding.STRAIGHT_THROUGH;
      case "cubic" -> dev.srtune.graph.degradation.JpegModel.Rounding.CUBIC;
      default -> throw new UserInputException("--jpeg-rounding must be straight-through or cubic, not '"
          + jpegRounding + "'.");
    };
    var f = switch (jpegFit == null ? "operator" : jpegFit.trim()) {
      case "operator" -> dev.srtune.tune.JpegPolicy.Fit.OPERATOR;
      case "consistency" -> dev.srtune.tune.JpegPolicy.Fit.CONSISTENCY;
      default -> throw new UserInputException("--jpeg-fit must be operator or consistency, not '" + jpegFit + "'.");
    };
    return dev.srtune.tune.JpegPolicy.parse(jpeg).with(f, r);
  }

  @Option(names = "--refine-kernel", description = "Refine the blur kernel (given or estimated) together with the "
      + "network: a softmax-parametrised variable (non-negative, sums to 1) with its own Adam at --kernel-lr; the "
      + "final kernel is saved as kernel_refined.npy and .png.")
  boolean refineKernel;

  @Option(names = "--kernel-lr", description = "Adam's learning rate on the refined kernel's logits. Default: "
      + KernelRefinement.LEARNING_RATE_DEFAULT + ".")
  Double kernelLearningRate;

  /** The kernel estimated from the LR image for {@code --blur estimate}, once {@link #estimateBlur} ran. */
  private BlindKernelEstimator.Estimate estimated;

  /** True when --blur asks for a kernel estimated from the LR image. */
  boolean blurEstimated() {
    return EstimatedBlur.requested(blur);
  }

  /**
   * For {@code --blur estimate[:size=K]}: estimates the kernel of {@code lr} at factor {@code s} and writes it as
   * {@code kernel.npy}/{@code kernel.png} into {@code out}; the operator then uses it. Returns what report.json
   * records, or null when --blur does not ask for an estimate.
   */
  java.util.Map<String, Object> estimateBlur(dev.srtune.image.RgbImage lr, int s, java.nio.file.Path out)
      throws java.io.IOException {
    if (!blurEstimated()) {
      return null;
    }
    KernelEstimate k = estimateKernel(blur, lr, s, out);
    estimated = k.estimate();
    return k.report();
  }

  /** A kernel estimated for one LR image, and what report.json records about it. */
  record KernelEstimate(BlindKernelEstimator.Estimate estimate, java.util.Map<String, Object> report) {}

  /**
   * Estimates the kernel {@code estimate[:size=K]} (the {@code spec}) asks for from {@code lr} at factor {@code s},
   * with this --downsampler, and writes it as {@code kernel.npy}/{@code kernel.png} into {@code out}.
   */
  KernelEstimate estimateKernel(String spec, dev.srtune.image.RgbImage lr, int s, java.nio.file.Path out)
      throws java.io.IOException {
    java.nio.file.Path npy = out.resolve(EstimatedBlur.KERNEL_NPY);
    BlindKernelEstimator e = EstimatedBlur.estimator(spec, downsampler, s);
    BlindKernelEstimator.Estimate est = e.estimate(lr, s, "kernel:" + npy);
    java.nio.file.Files.createDirectories(out);
    dev.srtune.blind.KernelOutputs.write(est.kernel(), npy);
    java.util.Map<String, Object> m = dev.srtune.blind.KernelOutputs.describe(est.kernel(), npy);
    m.put("estimator", est.describe(e));
    return new KernelEstimate(est, m);
  }

  /** The files --blur estimate and --refine-kernel add to the output folder. */
  String[] kernelFiles() {
    List<String> names = new ArrayList<>();
    if (blurEstimated()) {
      names.add(EstimatedBlur.KERNEL_NPY);
      names.add(EstimatedBlur.KERNEL_PNG);
    }
    if (refineKernel) {
      names.add(EstimatedBlur.REFINED_NPY);
      names.add(EstimatedBlur.REFINED_PNG);
    }
    return names.toArray(String[]::new);
  }

  @Option(names = "--schedule", defaultValue = Schedules.DEFAULT,
      description = "Named bundle of sampler, optimiser, learning rate and stop window: planned (default; fast "
          + "sized to --time-budget, " + "default " + (int) Schedules.PLANNED_BUDGET_SECONDS + " s), fast (random "
          + "crops, Adam 1e-4 down a cosine over 300 iterations, whole-image LR-PSNR every 10, TV 0.001, keep-best) "
          + "or paper (Algorithm 1 as published: whole image, SGD lr 0.01 momentum 0.9, LR-PSNR rule every "
          + "iteration). The options below override its parts.")
  String schedule;

  @Option(names = "--sampling", description = "What one iteration trains on: full (the whole LR image) or "
      + "crops:SIZE[xBATCH][,margin=M][,seed=S] (random LR windows; the loss skips M pixels at their borders).")
  String sampling;

  @Option(names = "--measure-every", description = "Measure the whole-image LR-PSNR (the stop rule, --keep-best "
      + "and the curve read only these) every N iterations.")
  Integer measureEvery;

  @Option(names = "--optimizer", description = "sgd (SGD + momentum, the paper's) or adam.")
  String optimizer;

  @Option(names = "--lr", description = "Base learning rate (paper: 0.01 with sgd).")
  Double learningRate;

  @Option(names = "--momentum", description = "Momentum of sgd (paper: 0.9).")
  Double momentum;

  @Option(names = "--lr-schedule", description = "Learning rate over iterations: constant, step:EVERY:GAMMA, "
      + "cosine:PERIOD[:FLOOR], or warmup:N+<one of those>.")
  String lrSchedule;

  @Option(names = "--max-iters", description = "Iteration cap K; 0 only runs the network. "
      + "Default: 4000 for tune and eval, and for demo " + DemoCommand.DEMO_MAX_ITERS + " unless its run is planned.")
  Integer maxIters;

  @Option(names = "--stop", defaultValue = "lr-psnr",
      description = "Stop rule: lr-psnr, lr-lpips or none. Default: ${DEFAULT-VALUE}.")
  String stop;

  @Option(names = "--delta", description = "Stop when the LR metric improves by no more than this over the window "
      + "(default 0.04 dB for lr-psnr, 3e-5 for lr-lpips).")
  Double delta;

  @Option(names = "--window", description = "Iterations over which the improvement is measured (default: the "
      + "schedule's, " + PlateauStopRule.WINDOW_DEFAULT + " for paper, " + Schedules.FAST_WINDOW + " for fast).")
  Integer window;

  @Option(names = "--precision", defaultValue = "auto", description = "Arithmetic of the session: auto (fp32 "
      + "for now: TensorFlow's bf16 rewrite cannot yet be kept to the network's training step), fp32, or bf16 "
      + "(refused for the same reason). report.json says which ran and why. "
      + "Default: ${DEFAULT-VALUE}.")
  String precision;

  @Option(names = "--time-budget", paramLabel = "SECONDS", description = "Plan the run for this many seconds of "
      + "fine-tuning: a probe times a step and a measurement, and the iterations that fit get the schedule (a "
      + "cosine compressed to them, from a higher rate), the measurement cadence and the stop window; it is a plan, "
      + "not a cut. Default: " + (int) Schedules.PLANNED_BUDGET_SECONDS + " with --schedule planned unless "
      + "--lr-schedule, --max-iters, --measure-every or --window plan the run by hand; none otherwise.")
  Double timeBudget;

  @Option(names = "--train-layers", paramLabel = "all|last:N|REGEX", defaultValue = "all", description = "Which "
      + "weights train: all (the paper's), last:N (the N layers nearest the output, read from the graph: a "
      + "convolution with its bias, by the longest path to the output) or a regular expression on variable names; "
      + "the rest keep their pretrained values and the part of the network before them is not differentiated. "
      + "Default: ${DEFAULT-VALUE}.")
  String trainLayers;

  @Option(names = "--keep-best", negatable = true, description = "Return the weights with the best measured LR "
      + "metric (the pretrained ones included), not the last ones; --no-keep-best returns the last. Default: the "
      + "schedule's (on for fast, off for paper).")
  Boolean keepBest;

  @Option(names = "--mask", paramLabel = "variance[:QUANTILE]", description = "Weight the data-fidelity loss per LR "
      + "pixel by the pretrained network's Monte-Carlo dropout variance (computed first, with --dropout and "
      + "--dropout-seed, 50 passes or tune's --uncertainty PASSES), averaged over each scale x scale block: "
      + "'variance' gives soft weights proportional to it (mean 1), 'variance:Q' a hard mask keeping the LR pixels at "
      + "or above its Q-quantile (e.g. variance:0.9 keeps the 10%% most uncertain). Works with every --sampling: each "
      + "crop takes its own part of the mask.")
  String mask;

  @Option(names = "--loss-channels", defaultValue = "rgb", paramLabel = "rgb|y", description = "Channels of the "
      + "data-fidelity term: rgb, or y (the luma only, e.g. for an imported network that computes only Y). Default: "
      + "${DEFAULT-VALUE}.")
  String lossChannels;

  @Option(names = "--tv", paramLabel = "WEIGHT", description = "Add WEIGHT x anisotropic total variation of f(y) "
      + "(mean |vertical| + mean |horizontal| neighbour differences of the output; on the crops' outputs, without "
      + "the loss margin, when training on crops) to the loss; 0 adds nothing. Default: the schedule's ("
      + Schedules.FAST_TV + " for fast, none for paper).")
  Double tv;

  @Option(names = "--dropout", defaultValue = "0.0005", description = "Dropout rate of the variance maps (--mask, "
      + "--uncertainty), after every convolution block. Default: ${DEFAULT-VALUE} (the paper's).")
  double dropout;

  @Option(names = "--dropout-seed", defaultValue = "0",
      description = "Seed of the variance maps' dropout masks. Default: ${DEFAULT-VALUE}.")
  long dropoutSeed;

  /** The dropout settings of variance maps with {@code passes} passes. */
  McDropoutSettings dropout(int passes) {
    return new McDropoutSettings(passes, dropout, dropoutSeed);
  }

  /** The unweighted data-fidelity term --loss-channels names. */
  DataFidelity dataFidelity() {
    return switch (lossChannels == null ? "rgb" : lossChannels.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "rgb" -> DataFidelity.PLAIN;
      case "y" -> DataFidelity.LUMA;
      default -> throw new UserInputException("--loss-channels must be rgb or y, not '" + lossChannels + "'.");
    };
  }

  /** The loss terms the options ask for: the data fidelity (plain or masked) and TV. */
  List<LossTerm> lossTerms(int maskPasses) {
    List<LossTerm> terms = new ArrayList<>();
    try {
      if (mask != null && dataFidelity() != DataFidelity.PLAIN) {
        throw new UserInputException("--mask weights the RGB data term; leave out --loss-channels y or --mask.");
      }
      terms.add(mask == null ? dataFidelity() : VarianceMask.parse(mask, dropout(maskPasses)));
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
    if (tv != null) {
      if (!(tv >= 0) || tv.isInfinite()) {
        throw new UserInputException("--tv " + tv + " is not a weight; give a number >= 0, e.g. 0.001.");
      }
      terms.add(new TotalVariationTerm(tv));
    }
    return terms;
  }

  /** LPIPS for lr_lpips (every iteration) and hr_lpips in the report, when weights are found; needed by lr-lpips. */
  @Mixin LpipsOptions lpips = new LpipsOptions();

  private FineTuneOptions withOptimizer(FineTuneOptions o) {
    if (optimizer == null && learningRate == null && momentum == null && lrSchedule == null) {
      return o;
    }
    String kind = optimizer != null ? optimizer : (o.optimizer() instanceof Adam ? "adam" : "sgd");
    Optimizer opt = switch (kind) {
      case "sgd" -> new SgdMomentum(momentum != null ? momentum
          : o.optimizer() instanceof SgdMomentum m ? m.momentum() : SgdMomentum.MOMENTUM_DEFAULT);
      case "adam" -> {
        if (momentum != null) {
          throw new UserInputException("--momentum is for --optimizer sgd; Adam has its own moments.");
        }
        yield Adam.defaults();
      }
      default -> throw new UserInputException("Unknown --optimizer '" + optimizer + "'; use sgd or adam.");
    };
    boolean sameKind = opt.getClass() == o.optimizer().getClass();
    double base = learningRate != null ? learningRate
        : sameKind ? o.learningRate() : kind.equals("adam") ? Schedules.FAST_LEARNING_RATE
        : SgdMomentum.LEARNING_RATE_DEFAULT;
    try {
      LearningRateSchedule sched = LearningRateSchedule.parse(lrSchedule != null ? lrSchedule
          : o.schedule().spec(), base);
      return o.withOptimizer(opt, sched);
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
  }

  int scaleOr(int fallback) {
    return scale != null ? scale : fallback;
  }

  Degradation operator(int s) {
    return operator(s, blur, estimated);
  }

  /** A = D∘B with B from {@code blurSpec}, or from {@code estimate} when --blur asked for one. */
  private Degradation operator(int s, String blurSpec, BlindKernelEstimator.Estimate estimate) {
    if (EstimatedBlur.requested(blurSpec) && estimate == null) {
      throw new UserInputException("This command cannot estimate the kernel per image (tune, eval and degrade "
          + "can); make it with 'srtune kernel --input LR.png --scale S --out K.npy' and pass --blur kernel:K.npy.");
    }
    if (refineKernel && (blurSpec == null || blurSpec.isBlank())) {
      throw new UserInputException("--refine-kernel needs a kernel to start from; give --blur estimate or a blur "
          + "such as --blur gaussian:15:1.6.");
    }
    try {
      Degradation d = estimate != null
          ? new BlurredDegradation(new Blur(estimate.kernel()), Degradations.downsampler(downsampler, s))
          : Degradations.operator(blurSpec, downsampler, s, KernelFiles.INSTANCE);
      if (refineKernel) {
        BlurredDegradation bd = (BlurredDegradation) d;
        return new RefinableBlurDegradation(bd.blur().kernel(), bd.downsampler());
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
  }

  /** --scale, or the scale the model at {@code model} declares; one sentence when neither says. */
  int scaleFor(java.nio.file.Path model) {
    if (scale != null) {
      return scale;
    }
    dev.srtune.model.SrModel.requireSavedModel(model); // before asking for a scale: there may be no model at all
    int declared = dev.srtune.model.SrModel.declaredScale(model);
    if (declared == 0) {
      throw new UserInputException("The model at " + model + " does not declare its scale (no \"scale\" in its "
          + "srtune.json); give --scale.");
    }
    return declared;
  }

  /** The kernel file a {@code --blur kernel:FILE} reads, if any (an input no output may replace). */
  java.nio.file.Path kernelFile() {
    return blur != null && blur.startsWith("kernel:") && blur.length() > "kernel:".length()
        ? java.nio.file.Path.of(blur.substring("kernel:".length())) : null;
  }

  @Option(names = "--tile", description = "Run the whole-image passes (sr_start.png, sr.png, the LR measurements) in "
      + "tiles of N LR pixels a side, with the network's receptive field as overlap so they join without seams. "
      + "Default: tiles only where a whole-image pass would not fit --memory-budget.")
  Integer tile;

  @Option(names = "--memory-budget", description = "Memory one whole-image pass may use, e.g. 2G or 512M. Default: "
      + "an eighth of this machine's RAM, at most 2 GB.")
  String memoryBudget;

  WholeImagePasses passes() {
    if (tile != null && tile < MIN_TILE) {
      throw new UserInputException("--tile must be at least " + MIN_TILE + " LR pixels.");
    }
    return new WholeImagePasses(tile == null ? 0 : tile,
        memoryBudget == null ? 0 : WholeImagePasses.parseBytes(memoryBudget));
  }

  static final int MIN_TILE = 16;

  /** How the session computes: --precision and the whole-image passes' --tile and --memory-budget. */
  SessionSettings session() {
    return new SessionSettings(Precision.parse(precision), passes());
  }

  StopRule stopRule(int defaultWindow) {
    int w = window != null ? window : defaultWindow;
    return switch (stop) {
      case "lr-psnr" -> PlateauStopRule.lrPsnr(delta != null ? delta : PlateauStopRule.LR_PSNR_DELTA_DEFAULT, w);
      case "none" -> StopRule.none();
      case "lr-lpips" -> PlateauStopRule.lrLpips(delta != null ? delta : PlateauStopRule.LR_LPIPS_DELTA_DEFAULT, w);
      default -> throw new UserInputException("Unknown --stop '" + stop + "'; use lr-psnr, lr-lpips or none.");
    };
  }

  FineTuneOptions toOptions(int s, int defaultMaxIters) {
    return toOptions(s, defaultMaxIters, McDropoutSettings.PASSES_DEFAULT);
  }

  /** The options; a variance mask is made with {@code maskPasses} dropout passes. */
  FineTuneOptions toOptions(int s, int defaultMaxIters, int maskPasses) {
    return toOptions(s, defaultMaxIters, maskPasses, blur, estimated);
  }

  /**
   * The options with the blur of A given by {@code blurSpec} (or {@code estimate}, for an estimated blur) instead
   * of --blur: {@code eval} makes one per image.
   */
  FineTuneOptions toOptions(int s, int defaultMaxIters, String blurSpec, BlindKernelEstimator.Estimate estimate) {
    return toOptions(s, defaultMaxIters, McDropoutSettings.PASSES_DEFAULT, blurSpec, estimate);
  }

  private FineTuneOptions toOptions(int s, int defaultMaxIters, int maskPasses, String blurSpec,
      BlindKernelEstimator.Estimate estimate) {
    if (window != null && window < 1) {
      throw new UserInputException("--window must be at least 1.");
    }
    if (measureEvery != null && measureEvery < 1) {
      throw new UserInputException("--measure-every must be at least 1.");
    }
    if (learningRate != null && !(learningRate > 0)) {
      throw new UserInputException("Use --lr > 0.");
    }
    if (momentum != null && !(momentum >= 0 && momentum < 1)) {
      throw new UserInputException("Use 0 <= --momentum < 1.");
    }
    int k = maxIters != null ? maxIters : defaultMaxIters;
    if (k < 0) {
      throw new UserInputException("--max-iters must be 0 or more.");
    }
    FineTuneOptions named;
    try {
      named = Schedules.named(schedule, operator(s, blurSpec, estimate));
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
    FineTuneOptions o = named.withMaxIterations(k).withKeepBest(keepBest != null ? keepBest : named.keepBest());
    o = withOptimizer(o);
    try {
      if (sampling != null || measureEvery != null) {
        o = o.withSampler(sampling != null ? Sampler.parse(sampling) : o.sampler(),
            measureEvery != null ? measureEvery : o.measureEvery());
      }
    } catch (IllegalArgumentException e) {
      throw new UserInputException(e.getMessage());
    }
    int defaultWindow = o.stopRule().plateau().map(PlateauStopRule::window).orElse(PlateauStopRule.WINDOW_DEFAULT);
    StopRule rule = stopRule(defaultWindow);
    o = rule.equals(o.stopRule()) ? o : o.withStopRule(rule);
    Optional<LpipsWeightFiles> lpipsFiles = lpips.files(stop.equals("lr-lpips"));
    if (lpipsFiles.isPresent()) {
      o = o.withExtraMetrics(List.of(new LrLpips(lpipsFiles.get().load())));
    }
    if (timeBudget != null) {
      if (!(timeBudget > 0)) {
        throw new UserInputException("--time-budget must be a positive number of seconds.");
      }
      o = o.withTimeBudget(Duration.ofMillis((long) (timeBudget * 1000)));
    } else if (lrSchedule != null || maxIters != null || measureEvery != null || window != null) {
      o = o.withTimeBudget(null); // the run's length is planned by hand
    }
    List<LossTerm> terms = lossTerms(maskPasses);
    if (tv == null) { // the schedule's own regularisers, unless --tv gives the weight
      o.lossTerms().stream().filter(TotalVariationTerm.class::isInstance).forEach(terms::add);
    }
    if (o.operator() instanceof RefinableBlurDegradation refined) {
      if (kernelLearningRate != null && !(kernelLearningRate > 0)) {
        throw new UserInputException("Use --kernel-lr > 0.");
      }
      terms.add(new KernelRefinement(refined, kernelLearningRate != null ? kernelLearningRate
          : KernelRefinement.LEARNING_RATE_DEFAULT));
    } else if (kernelLearningRate != null) {
      throw new UserInputException("--kernel-lr is the learning rate of --refine-kernel; give both or neither.");
    }
    o = terms.equals(o.lossTerms()) ? o : o.withLossTerms(terms);
    TrainLayers layers = TrainLayers.parse(trainLayers);
    return layers.equals(o.trainLayers()) ? o : o.withTrainLayers(layers);
  }
}
