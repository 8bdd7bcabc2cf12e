package dev.srtune.graph.blind;

import dev.srtune.graph.degradation.BlurKernel;
import dev.srtune.graph.train.ModelVariable;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

/**
 * A K×K blur kernel as a trainable variable, kept valid by its parametrisation: the variable holds logits z and the
 * kernel is k = softmax(z) over all K² taps, so every tap is positive and the taps sum to one whatever the optimiser
 * does (no projection step). A tap can approach 0 but never reach it; at the initial value's zeros the logits start
 * at log(1e-6) relative to the largest tap.
 */
public final class KernelVariable {
  /** Floor of the initial kernel's taps relative to its largest, before the logarithm. */
  static final double FLOOR = 1e-6;
  private final int size;
  private final ModelVariable logits;
  private final Operand<TFloat32> kernel;

  private KernelVariable(int size, ModelVariable logits, Operand<TFloat32> kernel) {
    this.size = size;
    this.logits = logits;
    this.kernel = kernel;
  }

  /**
   * A resource variable named {@code name} (shared name too, so two kernels never alias), initialised so that
   * softmax(z) equals {@code initial} (its taps floored at {@link #FLOOR} of the largest).
   */
  public static KernelVariable create(Ops tf, String name, BlurKernel initial) {
    if (initial.height() != initial.width()) {
      throw new IllegalArgumentException("a refined kernel must be square, got " + initial.height() + "x"
          + initial.width());
    }
    int k = initial.height();
    double[] v = initial.values();
    double max = 0;
    for (double x : v) {
      max = Math.max(max, x);
    }
    float[] z = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      z[i] = (float) Math.log(Math.max(v[i], 0) / max + FLOOR);
    }
    Ops scope = tf.withSubScope(name);
    Shape shape = Shape.of(k, k);
    VarHandleOp handle = scope.withName("logits").varHandleOp(TFloat32.class, shape,
        VarHandleOp.sharedName(scope.scope().makeOpName("logits")));
    scope.withInitScope().assignVariableOp(handle, scope.withInitScope().constant(shape, DataBuffers.of(z, true,
        false)));
    Operand<TFloat32> read = scope.readVariableOp(handle, TFloat32.class);
    Operand<TFloat32> flat = scope.reshape(read, scope.constant(new int[] {1, k * k}));
    Operand<TFloat32> kernel = scope.withName("kernel").reshape(scope.nn.softmax(flat),
        scope.constant(new int[] {k, k}));
    return new KernelVariable(k, new ModelVariable((GraphOperation) handle.op(), true, shape), kernel);
  }

  /**
   * An anisotropic Gaussian kernel with three parameters θ = (l1, l2, l3): k ∝ exp(−½ vᵀ P v) over the taps
   * v = (x, y) from the centre, normalised to sum one, with precision P = LᵀL, L = [[e^l1, 0], [l3, e^l2]] — positive
   * definite for every θ, so the kernel is always a valid, centred Gaussian. Starts isotropic with σ = {@code sigma}.
   */
  public static KernelVariable gaussian(Ops tf, String name, int size, double sigma) {
    float l = (float) -Math.log(sigma);
    return gaussian(tf, name, size, new float[] {l, l, 0});
  }

  private static KernelVariable gaussian(Ops tf, String name, int size, float[] start) {
    Ops scope = tf.withSubScope(name);
    Shape shape = Shape.of(3);
    VarHandleOp handle = scope.withName("gaussian").varHandleOp(TFloat32.class, shape,
        VarHandleOp.sharedName(scope.scope().makeOpName("gaussian")));
    scope.withInitScope().assignVariableOp(handle, scope.withInitScope().constant(start));
    Operand<TFloat32> p = scope.readVariableOp(handle, TFloat32.class);
    Operand<TFloat32> a = scope.math.exp(scope.gather(p, scope.constant(0), scope.constant(0)));
    Operand<TFloat32> b = scope.math.exp(scope.gather(p, scope.constant(1), scope.constant(0)));
    Operand<TFloat32> c = scope.gather(p, scope.constant(2), scope.constant(0));
    // L v = (a x, c x + b y); vᵀ P v = |L v|².
    float[] xs = new float[size * size];
    float[] ys = new float[size * size];
    double centre = (size - 1) / 2.0;
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        xs[i * size + j] = (float) (j - centre);
        ys[i * size + j] = (float) (i - centre);
      }
    }
    Operand<TFloat32> x = scope.constant(Shape.of(size, size), DataBuffers.of(xs, true, false));
    Operand<TFloat32> y = scope.constant(Shape.of(size, size), DataBuffers.of(ys, true, false));
    Operand<TFloat32> u = scope.math.mul(a, x);
    Operand<TFloat32> w = scope.math.add(scope.math.mul(c, x), scope.math.mul(b, y));
    Operand<TFloat32> q = scope.math.add(scope.math.mul(u, u), scope.math.mul(w, w));
    Operand<TFloat32> g = scope.math.exp(scope.math.mul(scope.constant(-0.5f), q));
    Operand<TFloat32> kernel = scope.withName("kernel").math.div(g,
        scope.reduceSum(g, scope.constant(new int[] {0, 1})));
    return new KernelVariable(size, new ModelVariable((GraphOperation) handle.op(), true, shape), kernel);
  }

  /** K. */
  public int size() {
    return size;
  }

  /** The parameter variable (logits, or the Gaussian's three): what gradients and optimisers act on. */
  public ModelVariable logits() {
    return logits;
  }

  /** The kernel k = softmax(z) [K,K]: non-negative, summing to one. */
  public Operand<TFloat32> kernel() {
    return kernel;
  }
}
