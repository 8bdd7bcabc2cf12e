package dev.srtune.graph.tfimport;

import java.util.ArrayList;
import java.util.HashMap;
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
 * Finds a network's input and output in a graph that may also hold training, loss and summary ops.
 *
 * <p>An input candidate is a float {@code Placeholder} of rank 4 or unknown shape from which an output can be
 * computed. An output candidate is a node reached from the input whose first output is a float tensor of rank 4 (or
 * unknown rank), that needs no placeholder but the input (so a loss fed by a target placeholder, and all gradients and
 * training ops behind it, are not candidates), and that feeds no other candidate (a sink). Where either is ambiguous
 * the error names the candidates, so the user can pick one with {@code --input} / {@code --output}. An output may
 * also need a second image placeholder, the network's input for the bicubic upscaling of the LR: the one given as
 * {@code --bicubic-input}, or where none is given one the output needs besides the input (see
 * {@link #outputCandidates}).
 */
final class Endpoints {
  /**
   * The chosen input placeholder node and output tensor, and the second image input fed with the bicubic upscaling
   * of the LR (null where the network has none).
   */
  record Chosen(String input, TensorRef output, String bicubicInput) {
    Chosen(String input, TensorRef output) {
      this(input, output, null);
    }

    /** The same network with the two image inputs' roles exchanged. */
    Chosen swapped() {
      return new Chosen(bicubicInput, output, input);
    }
  }

  private final NodeIndex index;
  private final Graph graph;
  /** The --bicubic-input given, or null. */
  private final String bicubicGiven;
  private final Map<String, Set<String>> placeholdersNeeded = new HashMap<>();

  private Endpoints(NodeIndex index, Graph graph, String bicubicGiven) {
    this.index = index;
    this.graph = graph;
    this.bicubicGiven = bicubicGiven;
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
    return new Endpoints(index, graph, bicubicInput).choose(input, output);
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
            + String.join(", ", outputCandidates(in)) + ".");
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
      List<String> outs = outputCandidates(in);
      if (outs.isEmpty()) {
        throw new GraphImportException("Nothing of image shape is computed from the input '" + in
            + "' alone; pass --output NAME.");
      }
      if (outs.size() > 1) {
        throw new GraphImportException("The input '" + in + "' leads to " + outs.size() + " candidate outputs ("
            + String.join(", ", outs) + "); pass --output with one of them.");
      }
      out = new TensorRef(outs.get(0), 0, false);
    }
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
    return new Chosen(in, out, bicubic);
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
    if (usable.size() == 2 && bicubicGiven == null) {
      // Two inputs of one network (LR and its bicubic upscaling) share their output; which is which is measured.
      List<String> shared = new ArrayList<>(outputCandidates(usable.get(0)));
      shared.retainAll(outputCandidates(usable.get(1)));
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
    if (!n.getOp().equals("Placeholder") || n.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType()
        != DataType.DT_FLOAT) {
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
      for (int i = 0; i < 3; i++) {
        hwc[i] = shape.getShape().getDim(i + 1).getSize();
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
   * Sinks among the float rank-4 nodes computed from {@code input} alone, or from it and one other image placeholder
   * (the --bicubic-input, or where none is given a node nothing consumes and no backward pass computes: a loss
   * against a target placeholder is consumed by its reduction, gradients come from gradient ops), in graph order.
   */
  List<String> outputCandidates(String input) {
    Set<String> reached = index.reachableFrom(input);
    Set<String> candidates = new LinkedHashSet<>();
    for (String name : reached) {
      if (name.equals(input) || !isImageTensor(name)) {
        continue;
      }
      Set<String> needs = placeholdersOf(name);
      if (needs.equals(Set.of(input)) || (needs.size() == 2 && needs.contains(input) && secondImageInput(name,
          needs.stream().filter(p -> !p.equals(input)).findFirst().orElseThrow()))) {
        candidates.add(name);
      }
    }
    List<String> sinks = new ArrayList<>();
    for (String c : candidates) {
      if (index.consumers(c).stream().noneMatch(candidates::contains)) {
        sinks.add(c);
      }
    }
    return sinks;
  }

  private boolean secondImageInput(String node, String other) {
    if (bicubicGiven != null) {
      return other.equals(bicubicGiven);
    }
    return isImagePlaceholder(index.node(other)) && index.consumers(node).isEmpty()
        && index.ancestorsOf(node).stream().noneMatch(this::isBackward);
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

  /** The Placeholder nodes {@code name} needs through data edges (PlaceholderWithDefault has its default). */
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
      List<TensorRef> ins = def == null ? List.of() : NodeIndex.dataInputs(def);
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
        if (def != null && def.getOp().equals("Placeholder")) {
          s.add(n);
        }
        ins.forEach(r -> s.addAll(placeholdersNeeded.getOrDefault(r.node(), Set.of())));
        placeholdersNeeded.put(n, s.isEmpty() ? Set.of() : s);
      }
    }
    return placeholdersNeeded.get(name);
  }
}
