package dev.srtune.tune;

import dev.srtune.graph.train.ModelVariable;
import dev.srtune.image.RgbImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * The frozen part of the network, computed once: where a run trains only the layers nearest the output
 * ({@code --train-layers}, a planned run's {@code last:25%}), the layers before them do not change, so their
 * features on the whole LR image are computed once per image and each step is fed the windows' slices of them
 * instead of computing them again on the crops. The step then runs only the trained layers forward and back.
 *
 * <p>What is fed is read from the graph: the outputs of ops that depend on the LR input but on no trained weight,
 * read by an op that depends on one (the "frontier"). Only a frontier tensor that is an image-like [1, s·H, s·W, C]
 * on the H×W input, s a whole number, is fed (a window's slice is then exact: the crop's rows s·top ... s·(top+h)
 * and columns likewise); anything else (a shape, a statistic) is computed from the crop as before. A sliced feature
 * has its true neighbours at the crop's border where a feature computed on the crop alone has the convolutions'
 * zero padding; the loss margin leaves that border out either way.
 */
final class PrefixFeatures {
  private static final Logger LOG = LogManager.getLogger(PrefixFeatures.class);
  /** The most the whole-image features may take (floats); above it steps compute them on the crops as before. */
  static final long MAX_FLOATS = 256L << 20; // 1 GiB

  private final Output<?> lr;
  private final List<Output<?>> frontier;
  /** The image the values are of (by identity), or null before the first need. */
  private RgbImage image;
  /** Per fed frontier tensor: its whole-image values, height, width, channels, and scale over the input. */
  private final List<Fed> fed = new ArrayList<>();

  private record Fed(Output<?> output, float[] values, int height, int width, int channels, int scale) {}

  private PrefixFeatures(Output<?> lr, List<Output<?>> frontier) {
    this.lr = lr;
    this.frontier = frontier;
  }

  /** The frontier of {@code trained} in the network {@code lr → sr}; none where everything trains. */
  static PrefixFeatures of(Graph g, Output<?> lr, Output<?> sr, List<ModelVariable> trained, boolean all) {
    if (all) {
      return new PrefixFeatures(lr, List.of());
    }
    Set<String> sub = new HashSet<>();
    g.subgraphTo(Set.of(sr)).forEach(op -> sub.add(op.name()));
    sub.add(sr.op().name());
    if (sub.stream().map(n -> g.operation(n).type()).anyMatch(PrefixFeatures::random)) {
      return new PrefixFeatures(lr, List.of()); // a random op (dropout) draws anew each step: nothing is fixed
    }
    Set<String> trainedPart = downstream(trained.stream().map(ModelVariable::op).toList(), sub);
    Set<String> fromInput = downstream(List.of((GraphOperation) lr.op()), sub);
    Map<String, Output<?>> edges = new LinkedHashMap<>();
    for (String name : trainedPart) {
      for (Operand<?> in : g.operation(name).inputs()) {
        Output<?> o = in.asOutput();
        String src = o.op().name();
        if (!trainedPart.contains(src) && fromInput.contains(src) && !src.equals(lr.op().name())
            && o.dataType() == DataType.DT_FLOAT) {
          edges.putIfAbsent(src + ":" + o.index(), o);
        }
      }
    }
    return new PrefixFeatures(lr, List.copyOf(edges.values()));
  }

  private static boolean random(String type) {
    return type.contains("Random") || type.equals("TruncatedNormal") || type.equals("Multinomial");
  }

  /** The ops of {@code sub} reachable from {@code roots} through their consumers (the roots included). */
  private static Set<String> downstream(List<GraphOperation> roots, Set<String> sub) {
    Set<String> seen = new HashSet<>();
    ArrayDeque<GraphOperation> todo = new ArrayDeque<>(roots);
    roots.forEach(r -> seen.add(r.name()));
    while (!todo.isEmpty()) {
      for (GraphOperation c : todo.poll().consumers()) {
        if (sub.contains(c.name()) && seen.add(c.name())) {
          todo.add(c);
        }
      }
    }
    return seen;
  }

  /** How many tensors the trained layers read from the frozen part (0: nothing to compute once). */
  int frontierSize() {
    return frontier.size();
  }

  /** Forgets the values: the frozen part's weights or the image may have changed. */
  void invalidate() {
    image = null;
    fed.clear();
  }

  /**
   * Feeds {@code runner} the slices for {@code windows} of {@code y} ({@code whole} its tensor), computing the
   * whole-image features first where they are not yet computed for this image. Feeds nothing, and returns false,
   * where there is no frontier or no frontier tensor can be sliced.
   */
  boolean feed(Session session, Session.Runner runner, TFloat32 whole, RgbImage y, List<Window> windows,
      List<Tensor> open) {
    if (frontier.isEmpty()) {
      return false;
    }
    if (image != y) {
      compute(session, whole, y);
    }
    if (fed.isEmpty()) { // nothing could be sliced: the crops compute everything
      return false;
    }
    for (Fed f : fed) {
      List<Window> scaled = windows.stream().map(w -> new Window(w.top() * f.scale(), w.left() * f.scale(),
          w.height() * f.scale(), w.width() * f.scale())).toList();
      TFloat32 slice = Window.stack(f.values(), f.height(), f.width(), f.channels(), scaled);
      open.add(slice);
      runner.feed(f.output(), slice);
    }
    return true;
  }

  private void compute(Session session, TFloat32 whole, RgbImage y) {
    invalidate();
    image = y;
    Session.Runner r = session.runner().feed(lr, whole);
    // the frontier is fetched in one run: the frozen part's forward pass on the whole image, once
    frontier.forEach(r::fetch);
    long floats = 0;
    try (Result res = r.run()) {
      for (int i = 0; i < frontier.size(); i++) {
        Shape s = res.get(i).shape();
        if (s.numDimensions() != 4 || s.get(0) != 1 || s.get(1) < y.height() || s.get(1) % y.height() != 0
            || s.get(1) / y.height() != s.get(2) / y.width() || s.get(2) % y.width() != 0) {
          continue; // not image-like on the input's grid: computed from the crop as before
        }
        int scale = (int) (s.get(1) / y.height());
        long n = s.size();
        floats += n;
        if (floats > MAX_FLOATS) {
          LOG.debug("the frozen part's features take more than {} floats: steps compute them on the crops",
              MAX_FLOATS);
          fed.clear();
          return;
        }
        float[] v = new float[(int) n];
        ((TFloat32) res.get(i)).asRawTensor().data().asFloats().read(v);
        fed.add(new Fed(frontier.get(i), v, (int) s.get(1), (int) s.get(2), (int) s.get(3), scale));
      }
    }
    LOG.debug("the frozen part's features: {} of {} frontier tensors fed ({} floats)", fed.size(), frontier.size(),
        floats);
  }
}
