package dev.srtune.graph.blind;

import dev.srtune.graph.degradation.BicubicUpsampler;
import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.graph.degradation.Boundary;
import dev.srtune.graph.degradation.Degradation;
import dev.srtune.graph.train.ModelVariable;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

/**
 * Blind estimation of the blur kernel k of an LR image y = D(k ⊛ x) + n from y alone, as a MAP problem over the
 * latent HR image x and k (alternating minimisation, after Kotera, Šroubek and Milanfar 2013, with the image formation
 * model of SR: D the known downsampler, k the blur before it):
 *
 * <pre>
 *   E(x, k) = mean (D(k ⊛ x) − y)²  +  λ_x · mean (|∇x|² + ε²)^(p/2)
 *           + λ_c · centring(k) + λ_b · border(k) + λ_s · sparsity(k)
 * </pre>
 *
 * on the luminance (the mean of R, G, B) of y. The hyper-Laplacian image prior (p &lt; 1) prefers sharp edges in x,
 * which is what keeps the blur in k rather than in x (with p = 2 the trivial k = δ explains y as well); the kernel
 * is a {@link KernelVariable} (non-negative, sums to one) under the {@link KernelPriors}. The caller alternates the
 * two update sets ({@link #imageVariable()} and {@link #kernelVariable()}).
 */
public final class BlindKernelObjective {
  private final KernelVariable kernel;
  private final ModelVariable image;
  private final Op initImage;
  private final Operand<TFloat32> dataTerm;
  private final Operand<TFloat32> objective;

  /**
   * The weights of E.
   *
   * @param image λ_x, the image prior's weight
   * @param exponent p of the hyper-Laplacian prior
   * @param centring λ_c
   * @param border λ_b
   * @param sparsity λ_s
   */
  public record Weights(double image, double exponent, double centring, double border, double sparsity) {}

  private BlindKernelObjective(KernelVariable kernel, ModelVariable image, Op initImage, Operand<TFloat32> dataTerm,
      Operand<TFloat32> objective) {
    this.kernel = kernel;
    this.image = image;
    this.initImage = initImage;
    this.dataTerm = dataTerm;
    this.objective = objective;
  }

  /**
   * Builds E for the LR image {@code lr} [1,h,w,3] (a constant or placeholder of known size h×w).
   *
   * @param downsampler D, of factor s
   * @param initial k's starting value (square, side K)
   * @param imageWeight λ_x as a scalar operand (fed, so the caller can anneal it)
   * @param gaussianSigma &gt; 0: k is a {@link KernelVariable#gaussian} starting at this σ (three parameters);
   *     0: k is free-form, {@link KernelVariable#create} from {@code initial} (K² logits)
   */
  public static BlindKernelObjective build(Ops tf, Operand<TFloat32> lr, int h, int w, Degradation downsampler,
      BlurKernel initial, Operand<TFloat32> imageWeight, Weights weights, double gaussianSigma) {
    Ops scope = tf.withSubScope("blind_kernel");
    int s = downsampler.scale();
    int size = initial.height();
    KernelVariable k = gaussianSigma > 0 ? KernelVariable.gaussian(scope, "kernel", size, gaussianSigma)
        : KernelVariable.create(scope, "kernel", initial);
    Operand<TFloat32> grey = scope.math.mean(lr, scope.constant(3), org.tensorflow.op.math.Mean.keepDims(true));
    Shape xShape = Shape.of(1, (long) s * h, (long) s * w, 1);
    VarHandleOp handle = scope.withName("image").varHandleOp(TFloat32.class, xShape,
        VarHandleOp.sharedName(scope.scope().makeOpName("image")));
    // x starts as the bicubic enlargement of y (run this op once, with y fed if it is a placeholder).
    Operand<TFloat32> up = new BicubicUpsampler(s, Boundary.REPLICATE).apply(scope.withSubScope("init"),
        scope.concat(List.of(grey, grey, grey), scope.constant(3)));
    Op init = scope.withName("init_image").assignVariableOp(handle,
        scope.slice(up, scope.constant(new int[] {0, 0, 0, 0}), scope.constant(new int[] {1, -1, -1, 1})));
    Operand<TFloat32> x = scope.readVariableOp(handle, TFloat32.class);
    Operand<TFloat32> blurred = KernelBlur.apply(scope, x, k.kernel(), size, 1);
    Operand<TFloat32> predicted = downsampler.apply(scope, scope.concat(List.of(blurred, blurred, blurred),
        scope.constant(3)));
    Operand<TFloat32> predictedGrey = scope.slice(predicted, scope.constant(new int[] {0, 0, 0, 0}),
        scope.constant(new int[] {1, -1, -1, 1}));
    Operand<TFloat32> data = scope.withName("data_term").math.mean(
        scope.math.squaredDifference(predictedGrey, grey), scope.constant(new int[] {0, 1, 2, 3}));
    Operand<TFloat32> prior = hyperLaplacian(scope, x, xShape.get(1), xShape.get(2), weights.exponent());
    Operand<TFloat32> kernelPriors = scope.math.add(scope.math.add(
        scope.math.mul(scope.constant((float) weights.centring()), KernelPriors.centring(scope, k.kernel(), size)),
        scope.math.mul(scope.constant((float) weights.border()), KernelPriors.border(scope, k.kernel(), size))),
        scope.math.mul(scope.constant((float) weights.sparsity()), KernelPriors.sparsity(scope, k.kernel())));
    Operand<TFloat32> e = scope.withName("objective").math.add(scope.math.add(data,
        scope.math.mul(imageWeight, prior)), kernelPriors);
    return new BlindKernelObjective(k, new ModelVariable((GraphOperation) handle.op(), true, xShape), init, data, e);
  }

  /**
   * mean over pixels of (dx² + dy² + ε²)^(p/2) on x [1,H,W,1], forward differences on the common (H−1)×(W−1) grid;
   * ε² = 1e-6 keeps the gradient finite where x is flat.
   */
  static Operand<TFloat32> hyperLaplacian(Ops tf, Operand<TFloat32> x, long height, long width, double p) {
    List<Long> ones = List.of(1L, 1L, 1L, 1L);
    Operand<TFloat32> dx = tf.nn.conv2d(x, tf.constant(Shape.of(1, 2, 1, 1),
        org.tensorflow.ndarray.buffer.DataBuffers.of(new float[] {-1, 1}, true, false)), ones, "VALID");
    Operand<TFloat32> dy = tf.nn.conv2d(x, tf.constant(Shape.of(2, 1, 1, 1),
        org.tensorflow.ndarray.buffer.DataBuffers.of(new float[] {-1, 1}, true, false)), ones, "VALID");
    int[] size = {1, (int) height - 1, (int) width - 1, 1};
    Operand<TFloat32> dxc = tf.slice(dx, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(size));
    Operand<TFloat32> dyc = tf.slice(dy, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(size));
    Operand<TFloat32> mag = tf.math.add(tf.math.add(tf.math.mul(dxc, dxc), tf.math.mul(dyc, dyc)),
        tf.constant(1e-6f));
    return tf.math.mean(tf.math.pow(mag, tf.constant((float) (p / 2))), tf.constant(new int[] {0, 1, 2, 3}));
  }

  public KernelVariable kernelVariable() {
    return kernel;
  }

  public ModelVariable imageVariable() {
    return image;
  }

  /** Sets x to the bicubic enlargement of y's luminance. */
  public Op initImage() {
    return initImage;
  }

  /** mean (D(k ⊛ x) − y)² on the luminance. */
  public Operand<TFloat32> dataTerm() {
    return dataTerm;
  }

  /** E(x, k). */
  public Operand<TFloat32> objective() {
    return objective;
  }
}
