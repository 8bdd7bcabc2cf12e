package dev.srtune.graph.tfimport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Finds a network's input and output in a graph that may also hold training, loss and summary ops (after
 * {@link InferenceMode} has set it for inference).
 *
 * <p>An input candidate is a float {@code Placeholder} (or {@code PlaceholderWithDefault}) of rank 4 or unknown shape
 * from which an output can be computed. An output candidate is a node the input's values reach whose first output is
 * a float image at an integer scale of the input in a static shape probe (NHWC or NCHW, the input's channels), that
 * needs no placeholder but the input (so a loss fed by a target placeholder, and all gradients and training ops
 * behind it, are not candidates), is not a summary statistic, and feeds no other candidate (a sink; a Transpose to
 * NCHW is stepped back to the image it transposes). Outputs at several scales: the one at --scale, else the largest.
 * Where either is otherwise ambiguous the error names the candidates, so the user can pick one with {@code --input} /
 * {@code --output}. An output may also need a second image placeholder, the network's input for the bicubic
 * upscaling of the LR: the one given as {@code --bicubic-input}, or where none is given one the output needs besides
 * the input that is not a loss target (see {@link #outputCandidates}).
 */
final class Endpoints {
  /**
   * The chosen input placeholder node and output tensor, the second image input fed with the bicubic upscaling
   * of the LR (null where the network has none), whether the input and the output have their channels first (NCHW),
   * and what was chosen among several outputs, in words (null where there was no choice).
   */
  record Chosen(String input, TensorRef output, String bicubicInput, boolean inputNchw, boolean outputNchw,
      String note) {
    Chosen(String input, TensorRef output) {
      this(input, output, null);
    }

    Chosen(String input, TensorRef output, String bicubicInput) {
      this(input, output, bicubicInput, false, false, null);
    }

    /** The same network with the two image inputs' roles exchanged. */
    Chosen swapped() {
      return new Chosen(bicubicInput, output, input, inputNchw, outputNchw, note);
    }
  }

  /** An output candidate: its node, its scale in the shape probe (0 where unknown), and whether it is NCHW. */
  record Candidate(String node, int scale, boolean nchw) {
    String describe() {
      return node + (scale > 0 ? " (x" + scale + (nchw ? ", NCHW" : "") + ")" : "");
    }
  }

  /** LR side of the shape probe: two sizes so that a transposed output shows. */
  static final int PROBE_H = 24;
  static final int PROBE_W = 20;
  /** Ops that only change an image's layout: an output that is one of these of another candidate is that one. */
  private static final Set<String> LAYOUT_OPS = Set.of("Transpose");

  private final NodeIndex index;
  private final Graph graph;
  /** The --bicubic-input given, or null. */
  private final String bicubicGiven;
  /** The scale asked for (--scale), or 0: picks among outputs at several scales. */
  private final int scaleWanted;
  private final Map<String, Set<String>> placeholdersNeeded = new HashMap<>();
  private final Map<String, Map<String, long[]>> probes = new HashMap<>();

  private Endpoints(NodeIndex index, Graph graph, String bicubicGiven, int scaleWanted) {
    this.index = index;
    this.graph = graph;
    this.bicubicGiven = bicubicGiven;
    this.scaleWanted = scaleWanted;
  }

  /**
   * @param graph the same GraphDef imported into a graph, for output types and shapes
   * @param input node name, or null to find it
   * @param output node name or {@code node:k}, or null to find it
   */
  static Chosen find(NodeIndex index, Graph graph, String input, String output) {
    return find(index, graph, input, output, null);
  }

  /**
   * @param bicubicInput the placeholder fed with the bicubic upscaling of the LR, or null to take the one other
   *     image placeholder the output needs, if any
   */
  static Chosen find(NodeIndex index, Graph graph, String input, String output, String bicubicInput) {
    return find(index, graph, input, output, bicubicInput, 0);
  }

  /** @param scale the scale asked for, or 0: where outputs at several scales are found, the one to take */
  static Chosen find(NodeIndex index, Graph graph, String input, String output, String bicubicInput, int scale) {
    return new Endpoints(index, graph, bicubicInput, scale).choose(input, output);
  }

  private Chosen choose(String input, String output) {
    if (bicubicGiven != null) {
      checkedInput(bicubicGiven, "--bicubic-input");
    }
    String in = input != null ? checkedInput(input, "--input") : findInput();
    TensorRef out;
    if (output != null) {
      out = TensorRef.parse(output);
      NodeDef n = index.node(out.node());
      GraphOperation op = n == null ? null : graph.operation(out.node());
      if (op == null || out.index() >= op.numOutputs()) {
        throw new GraphImportException("The graph has no output '" + output + "'; pass --output with one of: "
            + String.join(", ", outputCandidates(in).stream().map(Candidate::describe).toList()) + ".");
      }
      if (op.output(out.index()).dataType() != DataType.DT_FLOAT) {
        throw new GraphImportException("--output '" + output + "' is not a float tensor; pass the node that "
            + "computes the super-resolved image.");
      }
      if (!index.ancestorsOf(out.node()).contains(in)) {
        throw new GraphImportException("--output '" + output + "' is not computed from the input '" + in
            + "'; pass an output that depends on it.");
      }
    } else {
      List<Candidate> outs = outputCandidates(in);
      if (outs.isEmpty()) {
        Set<String> others = unfed;
        throw new GraphImportException("Nothing of image shape is computed from the input '" + in + "' alone"
            + (others.isEmpty() ? "" : " (the image outputs also need the placeholder(s) " + String.join(", ", others)
            + ", which are neither a second image input nor a dropout or training setting)")
            + "; pass --output NAME" + (others.isEmpty() ? "" : " of a node that does not need them") + ".");
      }
      Candidate pick = pick(in, outs);
      out = new TensorRef(pick.node(), 0, false);
    }
    Candidate layout = describeOutput(in, out.node());
    boolean outputNchw = layout != null && layout.nchw();
    Set<String> needed = new LinkedHashSet<>(placeholdersOf(out.node()));
    needed.remove(in);
    String bicubic = bicubicGiven;
    if (bicubic != null && !needed.remove(bicubic)) {
      throw new GraphImportException("The output '" + out.format() + "' does not depend on --bicubic-input '"
          + bicubic + "'; leave it out or pass another output.");
    }
    if (bicubic == null && needed.size() == 1 && isImagePlaceholder(index.node(needed.iterator().next()))) {
      bicubic = needed.iterator().next(); // a second image input: fed with the bicubic upscaling of the LR
      needed.clear();
    }
    if (!needed.isEmpty()) {
      throw new GraphImportException("The output '" + out.format() + "' also needs the placeholder(s) "
          + String.join(", ", needed) + " besides the input '" + in + "'; pass another --output or --input.");
    }
    return new Chosen(in, out, bicubic, InferenceMode.channelsFirst(index.node(in)), outputNchw, note);
  }

  /** Placeholders the images after the last candidates need, which srtune cannot feed (for the message). */
  private final Set<String> unfed = new java.util.TreeSet<>();

  /** What was chosen among several outputs, for the user; null where there was one. */
  private String note;

  /**
   * The one output among {@code outs}: at distinct scales, the one at --scale or else the largest (said in
   * {@link #note}); several at one scale are for the user to choose between.
   */
  private Candidate pick(String in, List<Candidate> outs) {
    if (outs.size() == 1) {
      return outs.get(0);
    }
    List<String> names = outs.stream().map(Candidate::describe).toList();
    long scales = outs.stream().mapToInt(Candidate::scale).filter(x -> x > 0).distinct().count();
    if (scales == outs.size()) {
      Candidate at = outs.stream().filter(c -> c.scale() == scaleWanted).findFirst().orElse(null);
      Candidate largest = outs.stream().max(java.util.Comparator.comparingInt(Candidate::scale)).orElseThrow();
      Candidate p = at != null ? at : largest;
      note = "output '" + p.node() + "' (x" + p.scale() + ") of " + String.join(", ", names) + (at != null
          ? ", the one at --scale " + scaleWanted : ", the largest scale; --scale or --output takes another");
      return p;
    }
    throw new GraphImportException("The input '" + in + "' leads to " + outs.size() + " candidate outputs ("
        + String.join(", ", names) + "); pass --output with one of them.");
  }

  private String checkedInput(String name, String option) {
    NodeDef n = index.node(name);
    if (n == null || !isImagePlaceholder(n)) {
      throw new GraphImportException("'" + name + "' is not a float placeholder of rank 4 in the graph; pass "
          + option + " with one of: " + describe(imagePlaceholders()) + ".");
    }
    return name;
  }

  private String findInput() {
    List<String> images = imagePlaceholders().stream().filter(p -> !p.equals(bicubicGiven)).toList();
    List<String> usable = images.stream().filter(p -> !outputCandidates(p).isEmpty()).toList();
    if (usable.size() == 1) {
      return usable.get(0);
    }
    if (usable.isEmpty() && images.size() == 1) {
      return images.get(0); // its outputs are ruled out: choose() says why
    }
    if (usable.size() == 2 && bicubicGiven == null) {
      // Two inputs of one network (LR and its bicubic upscaling) share their output; which is which is measured.
      List<String> shared = new ArrayList<>(outputCandidates(usable.get(0)).stream().map(Candidate::node).toList());
      shared.retainAll(outputCandidates(usable.get(1)).stream().map(Candidate::node).toList());
      if (!shared.isEmpty()) {
        return usable.get(0);
      }
    }
    if (usable.isEmpty()) {
      List<String> all = index.nodes().stream().filter(n -> n.getOp().equals("Placeholder"))
          .map(n -> n.getName() + " (" + typeName(n) + ")").toList();
      throw new GraphImportException("The graph has no float placeholder of image shape [1,H,W,C] that an output "
          + "is computed from" + (all.isEmpty() ? " (it has no placeholder at all)" : " (placeholders: "
          + String.join(", ", all) + ")") + "; import a graph whose input is a float image placeholder.");
    }
    throw new GraphImportException("The graph has " + usable.size() + " candidate inputs (" + String.join(", ", usable)
        + "); pass --input with one of them.");
  }

  private List<String> imagePlaceholders() {
    return index.nodes().stream().filter(Endpoints::isImagePlaceholder).map(NodeDef::getName).toList();
  }

  private static String describe(List<String> names) {
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }

  private static String typeName(NodeDef n) {
    AttrValue t = n.getAttrOrDefault("dtype", null);
    return t == null ? "?" : t.getType().name().replace("DT_", "").toLowerCase(java.util.Locale.ROOT);
  }

  static boolean isImagePlaceholder(NodeDef n) {
    if (!(n.getOp().equals("Placeholder") || n.getOp().equals("PlaceholderWithDefault"))
        || n.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType() != DataType.DT_FLOAT) {
      return false;
    }
    AttrValue shape = n.getAttrOrDefault("shape", null);
    if (shape == null || !shape.hasShape()) {
      return true;
    }
    TensorShapeProto s = shape.getShape();
    return s.getUnknownRank() || s.getDimCount() == 4;
  }

  /** The fixed height, width and channels of an image placeholder, -1 where the graph leaves them open. */
  static long[] fixedHwc(NodeDef placeholder) {
    long[] hwc = {-1, -1, -1};
    AttrValue shape = placeholder.getAttrOrDefault("shape", null);
    if (shape != null && shape.hasShape() && !shape.getShape().getUnknownRank() && shape.getShape().getDimCount() == 4) {
      int[] dims = InferenceMode.channelsFirst(placeholder) ? new int[] {2, 3, 1} : new int[] {1, 2, 3};
      for (int i = 0; i < 3; i++) {
        hwc[i] = shape.getShape().getDim(dims[i]).getSize();
      }
    }
    return hwc;
  }

  /** Refuses an input whose fixed channel count differs from what the adapters feed it. */
  static void checkChannels(NodeDef placeholder, NetworkAdapters adapters) {
    long c = fixedHwc(placeholder)[2];
    if (c > 0 && c != adapters.networkChannels()) {
      throw new GraphImportException("The input '" + placeholder.getName() + "' takes " + c + " channel(s) but would "
          + "be fed " + adapters.networkChannels() + "; pass " + (c == 1 ? "--channels y" : "--channels rgb")
          + " or another --input.");
    }
  }

  /**
   * The image outputs computed from {@code input}: among the float nodes it reaches through their values (not
   * through a Shape), those computed from it alone or from it and one other image placeholder (the --bicubic-input,
   * or where none is given one that is not a loss target: see {@link #isTargetDifference}), not part of a backward
   * pass, and of image shape at an integer scale of the input in the shape probe ({@link #probe}): NHWC or NCHW
   * with the input's channel count. Where some are at a scale of 2 or more, those at 1 (an input normalised for a
   * summary) are dropped. Of these the sinks, each stepped back over a Transpose (to NCHW, as OpenCV's graphs end) to the
   * candidate it transposes, in graph order.
   */
  List<Candidate> outputCandidates(String input) {
    Set<String> reached = index.valueReachableFrom(input);
    Map<String, Candidate> candidates = new LinkedHashMap<>();
    // Images that also need a placeholder srtune cannot feed: what they are computed from is not the output.
    Map<String, Set<String>> blocked = new LinkedHashMap<>();
    for (String name : reached) {
      if (name.equals(input) || !isImageTensor(name) || isBackward(name)) {
        continue;
      }
      Candidate c = describeOutput(input, name);
      if (c == null) {
        continue;
      }
      Set<String> needs = placeholdersOf(name);
      if (needs.equals(Set.of(input)) || (needs.size() == 2 && needs.contains(input) && secondImageInput(name,
          needs.stream().filter(p -> !p.equals(input)).findFirst().orElseThrow()))) {
        candidates.put(name, c);
      } else {
        Set<String> extra = new java.util.TreeSet<>(needs);
        extra.remove(input);
        extra.removeIf(p -> isTargetDifference(name, p) || isImagePlaceholder(index.node(p)));
        if (!extra.isEmpty()) {
          blocked.put(name, extra);
        }
      }
    }
    unfed.clear();
    if (candidates.values().stream().anyMatch(c -> c.scale() >= 2)) {
      candidates.values().removeIf(c -> c.scale() == 1);
    }
    // Statistics of an image for a summary (x - mean(x), its square) are not outputs where others are.
    Set<String> statistics = new java.util.HashSet<>();
    for (String c : candidates.keySet()) {
      if (index.ancestorsOf(c, Set.of(input)).stream().anyMatch(a -> isScalarReduction(input, a))) {
        statistics.add(c);
      }
    }
    if (statistics.size() < candidates.size()) {
      candidates.keySet().removeAll(statistics);
    }
    if (candidates.values().stream().anyMatch(c -> c.scale() > 0)) {
      candidates.values().removeIf(c -> c.scale() == 0);
    }
    Map<String, Candidate> sinks = new LinkedHashMap<>();
    for (Candidate c : candidates.values()) {
      List<String> blockedBy = index.consumers(c.node()).stream().filter(blocked::containsKey).toList();
      if (!blockedBy.isEmpty()) {
        blockedBy.forEach(b -> unfed.addAll(blocked.get(b)));
        continue;
      }
      if (index.consumers(c.node()).stream().noneMatch(candidates::containsKey)) {
        Candidate s = c;
        while (LAYOUT_OPS.contains(index.node(s.node()).getOp())) {
          Candidate moved = candidates.get(NodeIndex.dataInputs(index.node(s.node())).get(0).node());
          if (moved == null || moved.scale() != s.scale()) {
            break;
          }
          s = moved;
        }
        sinks.putIfAbsent(s.node(), s);
      }
    }
    return List.copyOf(sinks.values());
  }

  /**
   * {@code name} as an output of {@code input}: its scale and layout in the shape probe; scale 0 where the probe
   * leaves its size open (or has no probe); null where the probe shows it is not an image of the input's channels.
   */
  private Candidate describeOutput(String input, String name) {
    Map<String, long[]> shapes = probe(input);
    long[] s = shapes == null ? null : shapes.get(name);
    if (s == null || s.length != 4) {
      return s == null ? new Candidate(name, 0, false) : null;
    }
    long[] in = probeSize(input);
    Candidate nhwc = imageAt(name, s[1], s[2], s[3], in, false);
    return nhwc != null ? nhwc : imageAt(name, s[2], s[3], s[1], in, true);
  }

  /** The input's height, width and channels in the probe (its fixed size, or PROBE_H x PROBE_W). */
  private long[] probeSize(String input) {
    long[] hwc = fixedHwc(index.node(input));
    return new long[] {hwc[0] > 0 ? hwc[0] : PROBE_H, hwc[1] > 0 ? hwc[1] : PROBE_W, hwc[2]};
  }

  private static Candidate imageAt(String name, long h, long w, long ch, long[] in, boolean nchw) {
    long inputChannels = in[2];
    boolean channels = inputChannels > 0 ? ch == inputChannels : ch == 1 || ch == 3;
    if (!channels) {
      return null;
    }
    if (h < 0 || w < 0) {
      return nchw ? null : new Candidate(name, 0, false);
    }
    if (h % in[0] != 0 || w % in[1] != 0 || h / in[0] != w / in[1] || h == 0) {
      // Smaller than the input by one margin in both (VALID convolutions of a pre-upsampling network): scale 1.
      long margin = in[0] - h;
      return margin > 0 && in[1] - w == margin && margin < Math.min(in[0], in[1]) ? new Candidate(name, 1, nchw)
          : null;
    }
    return new Candidate(name, (int) (h / in[0]), nchw);
  }

  /**
   * The static shapes of every node's first output with {@code input} fixed at PROBE_H x PROBE_W (TensorFlow's
   * shape inference on a copy of the graph), or null where the graph does not import so (a fixed-size input).
   */
  private Map<String, long[]> probe(String input) {
    if (probes.containsKey(input)) {
      return probes.get(input);
    }
    NodeDef in = index.node(input);
    long[] hwc = probeSize(input);
    Map<String, long[]> shapes = null;
    if (in.getOp().equals("Placeholder") || in.getOp().equals("PlaceholderWithDefault")) {
      boolean nchw = InferenceMode.channelsFirst(in);
      long[] dims = nchw ? new long[] {1, hwc[2], hwc[0], hwc[1]} : new long[] {1, hwc[0], hwc[1], hwc[2]};
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (long d : dims) {
        shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
      }
      org.tensorflow.proto.GraphDef.Builder copy = index.def().toBuilder().clearNode();
      for (NodeDef n : index.nodes()) {
        // The input as a Placeholder of the probe's size (a PlaceholderWithDefault's default is not the image).
        copy.addNode(n.getName().equals(input) ? NodeDef.newBuilder().setName(input).setOp("Placeholder")
            .putAttr("dtype", n.getAttrOrThrow("dtype")).putAttr("shape", AttrValue.newBuilder().setShape(shape).build())
            .build() : n);
      }
      try (Graph g = new Graph()) {
        g.importGraphDef(copy.build());
        shapes = new HashMap<>();
        for (NodeDef n : index.nodes()) {
          GraphOperation op = g.operation(n.getName());
          if (op != null && op.numOutputs() > 0) {
            var sh = op.output(0).shape();
            shapes.put(n.getName(), sh.isUnknown() ? null : sh.asArray());
          }
        }
      } catch (IllegalArgumentException e) {
        shapes = null; // the graph fixes its input size elsewhere: no probe, every rank-4 image is a candidate
      }
    }
    probes.put(input, shapes);
    return shapes;
  }

  private static final Set<String> REDUCTIONS = Set.of("Mean", "Sum", "Max", "Min", "Prod");

  /** A reduction of an image to one number (in the shape probe), as summaries and normalisations by it take. */
  private boolean isScalarReduction(String input, String name) {
    if (!REDUCTIONS.contains(index.node(name).getOp())) {
      return false;
    }
    Map<String, long[]> shapes = probe(input);
    long[] s = shapes == null ? null : shapes.get(name);
    return s != null && s.length == 0;
  }

  /**
   * A difference against another placeholder, as a loss takes between the network's output and its target
   * ({@code Sub}, {@code SquaredDifference}): one operand needs a placeholder the other does not.
   */
  private boolean isTargetDifference(String name, String other) {
    NodeDef n = index.node(name);
    if (!n.getOp().equals("Sub") && !n.getOp().equals("SquaredDifference")) {
      return false;
    }
    List<TensorRef> ins = NodeIndex.dataInputs(n);
    return ins.size() == 2 && placeholdersOf(ins.get(0).node()).contains(other)
        != placeholdersOf(ins.get(1).node()).contains(other);
  }

  private boolean secondImageInput(String node, String other) {
    if (bicubicGiven != null) {
      return other.equals(bicubicGiven);
    }
    // Not a loss: neither a difference against it nor anything computed from one (its square, its mean).
    return isImagePlaceholder(index.node(other)) && !isTargetDifference(node, other)
        && index.ancestorsOf(node).stream().noneMatch(a -> isBackward(a) || isTargetDifference(a, other));
  }

  /** A node of a backward pass: a gradients scope or a gradient op (ReluGrad, Conv2DBackpropFilter...). */
  private boolean isBackward(String name) {
    String op = index.node(name).getOp();
    return name.startsWith("gradients") || name.contains("/gradients") || op.endsWith("Grad")
        || op.contains("Backprop");
  }

  private boolean isImageTensor(String name) {
    GraphOperation op = graph.operation(name);
    if (op == null || op.numOutputs() == 0 || op.type().startsWith("Assign") || op.type().contains("Apply")
        || op.type().startsWith("Variable") || op.type().equals("VarHandleOp")) {
      return false;
    }
    var out = op.output(0);
    if (out.dataType() != DataType.DT_FLOAT) {
      return false;
    }
    int rank = out.shape().numDimensions();
    return rank == 4 || rank < 0;
  }

  /**
   * The Placeholder nodes {@code name} needs through data edges (a PlaceholderWithDefault has its default, but one
   * of image shape counts as an input).
   */
  private Set<String> placeholdersOf(String name) {
    Set<String> known = placeholdersNeeded.get(name);
    if (known != null) {
      return known;
    }
    // Iterative post-order: deep networks would overflow the stack with plain recursion.
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(name));
    Set<String> entered = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      String n = todo.peek();
      if (placeholdersNeeded.containsKey(n)) {
        todo.pop();
        continue;
      }
      NodeDef def = index.node(n);
      // An image input with a default (PlaceholderWithDefault) is an input: what computes its default is not.
      boolean input = def != null && isImagePlaceholder(def);
      List<TensorRef> ins = def == null || input ? List.of() : NodeIndex.dataInputs(def);
      // A node met again before it is done sits on a cycle (a while loop): finish it with what is known.
      boolean again = !entered.add(n);
      boolean ready = true;
      for (TensorRef r : ins) {
        if (!again && !placeholdersNeeded.containsKey(r.node())) {
          ready = false;
          todo.push(r.node());
        }
      }
      if (ready) {
        todo.pop();
        Set<String> s = new LinkedHashSet<>();
        if (def != null && (def.getOp().equals("Placeholder") || input)) {
          s.add(n);
        }
        ins.forEach(r -> s.addAll(placeholdersNeeded.getOrDefault(r.node(), Set.of())));
        placeholdersNeeded.put(n, s.isEmpty() ? Set.of() : s);
      }
    }
    return placeholdersNeeded.get(name);
  }
}
