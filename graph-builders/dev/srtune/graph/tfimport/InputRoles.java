package dev.srtune.graph.tfimport;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/**
 * The adapters a graph shows by itself: a one-channel input means a Y-channel network, and a second image input
 * means one fed with the bicubic upscaling of the LR — which of the two takes the LR, and at what scale, is measured
 * by running the original network on grey images of LR and HR size for each assignment and each scale from 2 to
 * {@value #MAX_SCALE}: the one combination that runs and returns an HR-sized image is the answer.
 */
final class InputRoles {
  static final int MAX_SCALE = 8;

  /** The inputs' roles and the network's scale. */
  record Measured(Endpoints.Chosen io, int scale) {}

  private InputRoles() {}

  /**
   * {@code a} with its channels chosen where they were left open: Y where the input takes one channel, else RGB;
   * what was chosen is added to {@code chosen}.
   */
  static NetworkAdapters chooseChannels(NodeIndex index, Endpoints.Chosen io, NetworkAdapters a, List<String> chosen) {
    NetworkAdapters out = a;
    if (a.channels() == null) {
      boolean one = Endpoints.fixedHwc(index.node(io.input()))[2] == 1;
      out = a.withChannels(one ? NetworkAdapters.Channels.Y : NetworkAdapters.Channels.RGB);
      if (one) {
        chosen.add("--channels y (the input '" + io.input() + "' takes one channel)");
      }
    }
    if (out.mean() != null && out.mean().length != 3 && !(out.mean().length == 1
        && out.channels() == NetworkAdapters.Channels.Y)) {
      throw new GraphImportException("--mean needs three values (R,G,B)" + (out.channels()
          == NetworkAdapters.Channels.Y ? " or one (Y)" : "") + ", not " + out.mean().length + "; pass --mean R,G,B.");
    }
    Endpoints.checkChannels(index.node(io.input()), out);
    if (io.bicubicInput() != null) {
      Endpoints.checkChannels(index.node(io.bicubicInput()), out);
    }
    return out;
  }

  /**
   * Runs the original network ({@code session} computes {@code output} from the placeholders named in {@code io})
   * to find which input takes the LR and the scale.
   *
   * @param rolesGiven the user named one of the inputs, so only {@code io}'s assignment is tried
   * @param scale the scale given, or 0
   */
  static Measured measure(Session session, NodeIndex index, Endpoints.Chosen io, TensorRef output,
      boolean rolesGiven, int channels, int scale) {
    List<Endpoints.Chosen> assignments = rolesGiven ? List.of(io) : List.of(io, io.swapped());
    List<Measured> runs = new ArrayList<>();
    for (Endpoints.Chosen roles : assignments) {
      List<Integer> scales = new ArrayList<>();
      for (int s = scale > 0 ? scale : 2; s <= (scale > 0 ? scale : MAX_SCALE); s++) {
        if (runsAt(session, index, roles, output, channels, s)) {
          scales.add(s);
        }
      }
      if (scales.size() > 1 && scale == 0) {
        throw new GraphImportException("The network runs with '" + roles.bicubicInput() + "' fed an upscaling of '"
            + roles.input() + "' by " + scales.size() + " different scales (" + scales + "); pass --scale.");
      }
      scales.forEach(s -> runs.add(new Measured(roles, s)));
    }
    if (runs.isEmpty()) {
      throw new GraphImportException("The network does not return an HR-sized image with one of '" + io.input()
          + "' and '" + io.bicubicInput() + "' fed an LR image and the other its upscaling by "
          + (scale > 0 ? scale : "any scale from 2 to " + MAX_SCALE) + "; pass --input, --bicubic-input and "
          + "--scale as the network takes them.");
    }
    if (runs.size() > 1) {
      throw new GraphImportException("Either of '" + io.input() + "' and '" + io.bicubicInput() + "' can take the "
          + "LR image; pass --bicubic-input with the one that takes its bicubic upscaling.");
    }
    return runs.get(0);
  }

  /** Normalised RMS error above which a network is taken not to work in a range. */
  static final double FAILS = 0.1;

  /**
   * The value range the network works in, 1 or 255, measured where the graph does not say: the original network
   * ({@code session}) is run on a smooth test image (and, with a bicubic input, its bicubic upscaling) at each
   * range, and its output compared with the bicubic upscaling at that range; a network that works at [0,1] stays
   * near it (any SR network does on a smooth image). 255 is chosen only where [0,1] is far from it (normalised
   * RMS above {@value #FAILS}) and [0,255] four times nearer; else 1. What was measured is added to {@code chosen}.
   *
   * @param adapters the adapters chosen so far (range 1): they make the test image what the network takes
   */
  static float measureRange(Session session, NodeIndex index, Endpoints.Chosen io, TensorRef output,
      NetworkAdapters adapters, int scale, List<String> chosen) {
    return measureRange(session, index, io, output, adapters, scale, null, chosen);
  }

  /** As above; a pre-upsampling network ({@code pre} not null) is fed the bicubic enlargement at {@code scale}. */
  static float measureRange(Session session, NodeIndex index, Endpoints.Chosen io, TensorRef output,
      NetworkAdapters adapters, int scale, PreUpsampling pre, List<String> chosen) {
    if (io.inputNchw() || io.outputNchw()) {
      return 1f;
    }
    return rangeFrom(errors(session, index, io, output, adapters, scale, pre), chosen);
  }

  /**
   * The normalised RMS distance of the network's output, read through {@code adapters}' output mapping, from the
   * bicubic upscaling of a smooth test image, with the image fed at [0,1] and at [0,255] (∞ where it fails).
   */
  static double[] errors(Session session, NodeIndex index, Endpoints.Chosen io, TensorRef output,
      NetworkAdapters adapters, int scale, PreUpsampling pre) {
    long[] lr = size(index.node(io.input()));
    double[] err = new double[2];
    float[] ranges = {1f, 255f};
    try (org.tensorflow.Graph g = new org.tensorflow.Graph(); Session s = new Session(g)) {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
      int h = (int) lr[0];
      int w = (int) lr[1];
      float[] d = new float[h * w * 3];
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          for (int k = 0; k < 3; k++) {
            d[(r * w + c) * 3 + k] = (float) (0.5 + 0.3 * Math.sin(2 * Math.PI * (r + 2 * k) / 11.0)
                * Math.cos(2 * Math.PI * (c - k) / 13.0));
          }
        }
      }
      var pattern = tf.constant(Shape.of(1, h, w, 3), org.tensorflow.ndarray.buffer.DataBuffers.of(d, true, false));
      int sc = scale > 0 ? scale : measuredScale(session, io, output, adapters, tf, s, pattern);
      if (pre != null && sc >= 1) {
        // The network sees the enlarged image and returns it (less its margin): compare with that.
        var enlarged = adapters.toNetwork(tf, PreUpsampling.enlarge(tf, pattern, sc));
        int m0 = pre.margin() / 2;
        var cropped = tf.slice(enlarged, tf.constant(new int[] {0, m0, m0, 0}), tf.concat(List.of(
            tf.constant(new int[] {1}), tf.math.sub(tf.slice(tf.shape(enlarged), tf.constant(new int[] {1}),
            tf.constant(new int[] {2})), tf.constant(new int[] {pre.margin(), pre.margin()})),
            tf.constant(new int[] {-1})), tf.constant(0)));
        try (var t = s.runner().fetch(enlarged).fetch(cropped).run()) {
          for (int i = 0; i < 2; i++) {
            err[i] = relativeError(session, io, output, (TFloat32) t.get(0), (TFloat32) t.get(1), ranges[i], sc,
                adapters.signedOutput());
          }
        }
        return err;
      }
      if (sc < 1) {
        return new double[] {0, Double.POSITIVE_INFINITY};
      }
      var bic = new dev.srtune.graph.degradation.BicubicUpsampler(sc, dev.srtune.graph.degradation.Boundary.REPLICATE)
          .apply(tf, pattern);
      var netIn = adapters.toNetwork(tf, pattern);
      var netBic = adapters.toNetwork(tf, bic);
      try (var t = s.runner().fetch(netIn).fetch(netBic).run()) {
        TFloat32 in = (TFloat32) t.get(0);
        TFloat32 expected = (TFloat32) t.get(1);
        for (int i = 0; i < 2; i++) {
          err[i] = relativeError(session, io, output, in, expected, ranges[i], sc, adapters.signedOutput());
        }
      }
    }
    return err;
  }

  /** 255 where [0,1] clearly fails and [0,255] is four times nearer (said in {@code chosen}), else 1. */
  private static float rangeFrom(double[] err, List<String> chosen) {
    boolean wide = err[0] > FAILS && err[1] * 4 < err[0];
    if (wide) {
      chosen.add(String.format(java.util.Locale.ROOT, "--range 255 (measured: on a smooth test image the network "
          + "is %.3f from the bicubic upscaling at [0,1] and %.3f at [0,255], normalised RMS)", err[0], err[1]));
    }
    return wide ? 255f : 1f;
  }

  /** The output's height over the input's on the test image at [0,1] (0 where it does not run). */
  private static int measuredScale(Session session, Endpoints.Chosen io, TensorRef output, NetworkAdapters adapters,
      org.tensorflow.op.Ops tf, Session s, org.tensorflow.Operand<TFloat32> pattern) {
    if (io.bicubicInput() != null) {
      return 0;
    }
    try (var t = s.runner().fetch(adapters.toNetwork(tf, pattern)).run();
        var r = session.runner().feed(io.input(), t.get(0)).fetch(output.node(), output.index()).run()) {
      Shape in = t.get(0).shape();
      Shape out = r.get(0).shape();
      return out.numDimensions() == 4 && out.get(1) % in.get(1) == 0 ? (int) (out.get(1) / in.get(1)) : 0;
    } catch (TensorFlowException | IllegalArgumentException e) {
      return 0;
    }
  }

  /** RMS of (output / range − expected) over RMS of expected, inside a border of 2·scale pixels; ∞ if it fails. */
  private static double relativeError(Session session, Endpoints.Chosen io, TensorRef output, TFloat32 in,
      TFloat32 expected, float range, int scale, boolean signed) {
    try (TFloat32 x = scaled(in, range); TFloat32 b = scaled(expected, range)) {
      Session.Runner run = session.runner().feed(io.input(), x);
      if (io.bicubicInput() != null) {
        run.feed(io.bicubicInput(), b);
      }
      try (var r = run.fetch(output.node(), output.index()).run()) {
        TFloat32 out = (TFloat32) r.get(0);
        if (!out.shape().equals(expected.shape())) {
          return Double.POSITIVE_INFINITY;
        }
        long hh = out.shape().get(1);
        long ww = out.shape().get(2);
        long cc = out.shape().get(3);
        int border = 2 * scale;
        double num = 0;
        double den = 0;
        for (long i = border; i < hh - border; i++) {
          for (long j = border; j < ww - border; j++) {
            for (long k = 0; k < cc; k++) {
              double e = expected.getFloat(0, i, j, k);
              double o = out.getFloat(0, i, j, k);
              double diff = (signed ? (o + range) / 2 : o) / range - e;
              num += diff * diff;
              den += e * e;
            }
          }
        }
        double rel = Math.sqrt(num / Math.max(den, 1e-12));
        return Double.isFinite(rel) ? rel : Double.POSITIVE_INFINITY;
      }
    } catch (TensorFlowException | IllegalArgumentException e) {
      return Double.POSITIVE_INFINITY;
    }
  }

  private static TFloat32 scaled(TFloat32 t, float range) {
    return TFloat32.tensorOf(t.shape(), d -> t.scalars().forEachIndexed((idx, v) -> d.setFloat(v.getFloat() * range,
        idx)));
  }

  /** One pass on grey images: true if the output is s times the LR input's size. */
  private static boolean runsAt(Session session, NodeIndex index, Endpoints.Chosen roles, TensorRef output,
      int channels, int s) {
    long[] lr = size(index.node(roles.input()));
    long[] hr = Endpoints.fixedHwc(index.node(roles.bicubicInput()));
    if ((hr[0] > 0 && hr[0] != s * lr[0]) || (hr[1] > 0 && hr[1] != s * lr[1])) {
      return false;
    }
    try (TFloat32 a = grey(Shape.of(1, lr[0], lr[1], channels));
        TFloat32 b = grey(Shape.of(1, s * lr[0], s * lr[1], channels));
        var r = session.runner().feed(roles.input(), a).feed(roles.bicubicInput(), b)
            .fetch(output.node(), output.index()).run()) {
      Tensor t = r.get(0);
      Shape sh = t.shape();
      return sh.numDimensions() == 4 && sh.get(1) == s * lr[0] && sh.get(2) == s * lr[1];
    } catch (TensorFlowException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The placeholder's fixed height and width, or the probe size where it leaves them open. */
  private static long[] size(NodeDef placeholder) {
    long[] hwc = Endpoints.fixedHwc(placeholder);
    return new long[] {hwc[0] > 0 ? hwc[0] : NetworkExport.PROBE_SIZE, hwc[1] > 0 ? hwc[1] : NetworkExport.PROBE_SIZE};
  }

  private static TFloat32 grey(Shape shape) {
    return TFloat32.tensorOf(shape, d -> d.scalars().forEach(x -> x.setFloat(0.5f)));
  }
}
