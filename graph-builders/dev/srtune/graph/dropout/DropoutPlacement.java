package dev.srtune.graph.dropout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Which tensors of a network get dropout: either the outputs of its convolution blocks (the paper's "between the
 * residual blocks", Section V-B) or every op whose name matches a pattern. Only ops on the forward path (descendants
 * of the input that the output depends on) with a float32 output 0 are ever chosen.
 *
 * <p><b>Blocks</b>, defined on the GraphDef alone so it applies to any model:
 * <ul>
 *   <li>a <i>conv tail</i> is the last op of the chain Conv2D (or DepthwiseConv2dNative) → BiasAdd → activation
 *       (Relu, Relu6, LeakyRelu, Elu, Selu), each link taken only when it is the sole consumer of the previous op;
 *   <li>a <i>residual join</i> is an Add/AddV2 with a conv tail or a residual join among its inputs;
 *   <li>a conv tail or join T is <i>inside a residual branch</i> when, walking forward from T without crossing an
 *       Add/AddV2, one reaches an Add/AddV2 whose other input is a conv tail or join computed strictly before T
 *       (the skip of the innermost residual block around T);
 *   <li>a <i>block output</i> is a conv tail or join that is not inside a residual branch and from which another
 *       convolution is reachable (so the last convolution, which makes the image, gets none).
 * </ul>
 * For EnhanceNet ×4 this gives 14 edges: the first conv+ReLU, the output of each of the 10 residual blocks (after the
 * skip addition), and the ReLUs of the three convolutions after them (two at the upsamplings, one before the last).
 * Inside a residual block (the ReLU between its two convs, its second conv) there is none, as in the paper.
 *
 * <p>Known limit: in a network with a global skip around its trunk (SRGAN, ESRGAN/RRDB), the last residual block's
 * output reaches the global addition without crossing another addition, so it counts as inside the global branch and
 * gets none, while the earlier blocks' outputs do. Checked on UpscalerJS esrgan-legacy 'gans' (RRDN, 10 RRDBs of 3
 * RDBs): 32 edges, the first convolution, the outputs of RDBs 1 and 2 and of the RRDB in blocks 1–9, RDBs 1 and 2 of
 * block 10, the global residual sum (which directly follows RRDB 10's output, so that block is covered one addition
 * later) and the convolution before the pixel shuffle. {@link #matching} places dropout explicitly where this rule
 * does not fit.
 */
public final class DropoutPlacement {
  private static final Set<String> CONVS = Set.of("Conv2D", "DepthwiseConv2dNative");
  private static final Set<String> ACTIVATIONS = Set.of("Relu", "Relu6", "LeakyRelu", "Elu", "Selu");
  private static final Set<String> ADDS = Set.of("Add", "AddV2");

  private final Pattern pattern;

  private DropoutPlacement(Pattern pattern) {
    this.pattern = pattern;
  }

  /** After every convolution block (see the class comment): the default and the paper's placement. */
  public static DropoutPlacement blocks() {
    return new DropoutPlacement(null);
  }

  /** After every forward-path op whose name contains a match of {@code regex} (Java syntax, {@code find}). */
  public static DropoutPlacement matching(String regex) {
    return new DropoutPlacement(Pattern.compile(regex));
  }

  /** How a report names this placement: {@code blocks} or {@code layers:REGEX}. */
  public String describe() {
    return pattern == null ? "blocks" : "layers:" + pattern.pattern();
  }

  /**
   * The op names (output 0 is the edge) that get dropout in {@code graph}, in graph order.
   *
   * @param input the network's input op name
   * @param output the network's output op name
   */
  public List<String> sites(GraphDef graph, String input, String output) {
    Topology t = new Topology(graph);
    Set<String> forward = t.descendants(input);
    forward.retainAll(t.ancestors(output));
    forward.add(output);
    List<String> sites = new ArrayList<>();
    if (pattern != null) {
      for (NodeDef n : graph.getNodeList()) {
        if (forward.contains(n.getName()) && !n.getName().equals(input) && isFloat(n)
            && pattern.matcher(n.getName()).find() && !t.consumers(n.getName()).isEmpty()) {
          sites.add(n.getName());
        }
      }
      return sites;
    }
    Set<String> candidates = new LinkedHashSet<>();
    for (NodeDef n : t.topologicalOrder()) {
      if (!forward.contains(n.getName())) {
        continue;
      }
      if (CONVS.contains(n.getOp())) {
        candidates.add(tail(t, n.getName()));
      } else if (ADDS.contains(n.getOp()) && t.inputs(n.getName()).stream().anyMatch(candidates::contains)) {
        candidates.add(n.getName());
      }
    }
    Set<String> reachesConv = new HashSet<>();
    for (NodeDef n : graph.getNodeList()) {
      if (CONVS.contains(n.getOp())) {
        reachesConv.addAll(t.ancestors(n.getName()));
      }
    }
    for (NodeDef n : graph.getNodeList()) {
      String name = n.getName();
      if (candidates.contains(name) && reachesConv.contains(name) && isFloat(n)
          && !insideResidualBranch(t, name, candidates)) {
        sites.add(name);
      }
    }
    return sites;
  }

  private static String tail(Topology t, String conv) {
    String last = conv;
    List<String> next = t.consumers(last);
    if (next.size() == 1 && t.node(next.get(0)).getOp().equals("BiasAdd")) {
      last = next.get(0);
      next = t.consumers(last);
    }
    if (next.size() == 1 && ACTIVATIONS.contains(t.node(next.get(0)).getOp())) {
      last = next.get(0);
    }
    return last;
  }

  private static boolean insideResidualBranch(Topology t, String node, Set<String> candidates) {
    Set<String> before = t.ancestors(node);
    Deque<String> todo = new ArrayDeque<>(t.consumers(node));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (!seen.add(n)) {
        continue;
      }
      if (ADDS.contains(t.node(n).getOp())) {
        for (String in : t.inputs(n)) {
          if (before.contains(in) && candidates.contains(in)) {
            return true;
          }
        }
      } else {
        todo.addAll(t.consumers(n));
      }
    }
    return false;
  }

  private static boolean isFloat(NodeDef n) {
    return n.getAttrMap().containsKey("T") && n.getAttrMap().get("T").getType() == DataType.DT_FLOAT;
  }

  /** Data edges of a GraphDef by node name (control inputs ignored; every output index counts as the node). */
  static final class Topology {
    private final Map<String, NodeDef> nodes = new HashMap<>();
    private final Map<String, List<String>> inputs = new HashMap<>();
    private final Map<String, List<String>> consumers = new HashMap<>();
    private final List<NodeDef> order = new ArrayList<>();

    Topology(GraphDef graph) {
      for (NodeDef n : graph.getNodeList()) {
        nodes.put(n.getName(), n);
        consumers.put(n.getName(), new ArrayList<>());
      }
      for (NodeDef n : graph.getNodeList()) {
        List<String> ins = new ArrayList<>();
        for (String in : n.getInputList()) {
          if (!in.startsWith("^")) {
            String src = opName(in);
            ins.add(src);
            consumers.computeIfAbsent(src, k -> new ArrayList<>()).add(n.getName());
          }
        }
        inputs.put(n.getName(), ins);
      }
      Map<String, Integer> pending = new HashMap<>();
      Deque<String> ready = new ArrayDeque<>();
      for (NodeDef n : graph.getNodeList()) {
        pending.put(n.getName(), inputs.get(n.getName()).size());
        if (inputs.get(n.getName()).isEmpty()) {
          ready.add(n.getName());
        }
      }
      while (!ready.isEmpty()) {
        String n = ready.poll();
        order.add(nodes.get(n));
        for (String c : consumers.get(n)) {
          if (pending.merge(c, -1, Integer::sum) == 0) {
            ready.add(c);
          }
        }
      }
    }

    static String opName(String tensor) {
      String s = tensor.startsWith("^") ? tensor.substring(1) : tensor;
      int colon = s.indexOf(':');
      return colon < 0 ? s : s.substring(0, colon);
    }

    NodeDef node(String name) {
      return nodes.get(name);
    }

    List<String> inputs(String name) {
      return inputs.getOrDefault(name, List.of());
    }

    List<String> consumers(String name) {
      return consumers.getOrDefault(name, List.of());
    }

    List<NodeDef> topologicalOrder() {
      return order;
    }

    Set<String> ancestors(String name) {
      return walk(name, inputs);
    }

    Set<String> descendants(String name) {
      return walk(name, consumers);
    }

    private static Set<String> walk(String from, Map<String, List<String>> edges) {
      Set<String> seen = new HashSet<>();
      Deque<String> todo = new ArrayDeque<>(edges.getOrDefault(from, List.of()));
      while (!todo.isEmpty()) {
        String n = todo.pop();
        if (seen.add(n)) {
          todo.addAll(edges.getOrDefault(n, List.of()));
        }
      }
      return seen;
    }
  }
}
