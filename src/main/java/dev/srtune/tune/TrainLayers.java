package dev.srtune.tune;

import dev.srtune.UserInputException;
import dev.srtune.graph.train.ModelVariable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;

/**
 * Which of the network's weights a run trains ({@code --train-layers}): {@code all} (the paper's), {@code last:N}
 * (the N layers nearest the output), {@code last:P%} (that share of its layers, rounded up) or a regular expression
 * on variable names. The others stay at their pretrained
 * values, and TensorFlow does not differentiate the part of the network before the first trained layer.
 *
 * <p>A layer is read from the graph, whatever its names: the op a weight feeds (through reads and identities), or
 * for a bias-like weight added to a convolution's output, that convolution; layers are ordered by the longest path
 * from their op to the output, so {@code last:1} is the final convolution (with its bias) even where skip
 * connections bring earlier layers close to the output.
 */
public record TrainLayers(String spec) {
  public static final TrainLayers ALL = new TrainLayers("all");
  private static final Set<String> PASS_THROUGH = Set.of("Identity", "ReadVariableOp", "Cast", "Enter");
  private static final Set<String> LAYER_OPS = Set.of("Conv2D", "Conv2DBackpropInput", "DepthwiseConv2dNative",
      "MatMul", "Conv3D", "BatchMatMulV2");

  /** {@code all}, {@code last:N} (N ≥ 1) or a regular expression; one sentence for a bad one. */
  public static TrainLayers parse(String spec) {
    String s = spec == null ? "all" : spec.trim();
    if (s.startsWith("last:")) {
      try {
        String n = s.substring(5);
        double v = n.endsWith("%") ? Double.parseDouble(n.substring(0, n.length() - 1)) : Integer.parseInt(n);
        if (!(v > 0) || (n.endsWith("%") && v > 100)) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new UserInputException("--train-layers last:N needs a whole number N >= 1 or a share 0 < P% <= 100, "
            + "not '" + s + "'.");
      }
    } else if (!s.equals("all")) {
      try {
        Pattern.compile(s);
      } catch (PatternSyntaxException e) {
        throw new UserInputException("--train-layers '" + s + "' is neither all, last:N nor a regular expression ("
            + e.getDescription() + ").");
      }
    }
    return new TrainLayers(s);
  }

  public boolean all() {
    return spec.equals("all");
  }

  /** The variables of {@code all} (the network's, feeding {@code sr}) this selection trains, in their order. */
  public List<ModelVariable> select(Graph g, Output<?> sr, List<ModelVariable> all) {
    List<ModelVariable> chosen;
    if (all()) {
      chosen = all;
    } else if (spec.startsWith("last:")) {
      String count = spec.substring(5);
      // GraphOperation wrappers are not equal across lookups: ops are keyed by name
      Set<String> sub = new java.util.HashSet<>();
      g.subgraphTo(Set.of(sr)).forEach(op -> sub.add(op.name()));
      sub.add(sr.op().name()); // subgraphTo leaves out the target itself
      Map<String, List<ModelVariable>> layers = layers(all, sub);
      Map<String, Integer> depth = depthToOutput(g, sub, sr);
      List<String> order = new ArrayList<>(layers.keySet());
      order.sort(Comparator.comparingInt((String op) -> depth.getOrDefault(op, Integer.MAX_VALUE))
          .thenComparing(Comparator.naturalOrder()));
      long n = count.endsWith("%") ? (long) Math.ceil(order.size()
          * Double.parseDouble(count.substring(0, count.length() - 1)) / 100) : Integer.parseInt(count);
      List<ModelVariable> keep = order.stream().limit(n).flatMap(op -> layers.get(op).stream()).toList();
      chosen = all.stream().filter(keep::contains).toList();
    } else {
      Pattern p = Pattern.compile(spec);
      chosen = all.stream().filter(v -> p.matcher(v.name()).find()).toList();
    }
    if (chosen.isEmpty()) {
      throw new UserInputException("--train-layers " + spec + " matches none of the network's " + all.size()
          + " variables (e.g. " + all.get(0).name() + "); give all, last:N or a pattern that matches some.");
    }
    return chosen;
  }

  /** What report.json and the console say: the selection and how much of the network it trains. */
  public String describe(List<ModelVariable> chosen, List<ModelVariable> all) {
    long p = chosen.stream().mapToLong(ModelVariable::size).sum();
    long q = all.stream().mapToLong(ModelVariable::size).sum();
    return all() ? "all (" + all.size() + " variables, " + q + " parameters)" : String.format(Locale.ROOT,
        "%s: %d of %d variables, %d of %d parameters (%.1f%%), from %s", spec, chosen.size(), all.size(), p, q,
        100.0 * p / Math.max(1, q), chosen.get(0).name());
  }

  /** Each variable under the op of its layer (insertion order: the variables' own). */
  private static Map<String, List<ModelVariable>> layers(List<ModelVariable> vars, Set<String> sub) {
    Map<String, List<ModelVariable>> layers = new LinkedHashMap<>();
    for (ModelVariable v : vars) {
      layers.computeIfAbsent(layerOp(v.op(), sub), k -> new ArrayList<>()).add(v);
    }
    return layers;
  }

  /**
   * The layer a weight belongs to: following its only consumer on the way to the output ({@code sub}; savers and
   * initialisers also consume it but are not on that way) past reads and elementwise ops (a scale, a weight norm),
   * the first convolution or matmul it reaches; or, where an op on that way adds or multiplies it into a convolution's
   * output (a bias), that convolution. Else the weight is a layer of its own.
   */
  private static String layerOp(GraphOperation variable, Set<String> sub) {
    GraphOperation op = variable;
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      List<GraphOperation> next = op.consumers().stream().filter(c -> sub.contains(c.name())).toList();
      if (next.size() != 1) {
        break;
      }
      op = next.get(0);
      if (LAYER_OPS.contains(op.type())) {
        return op.name();
      }
      if (PASS_THROUGH.contains(op.type())) {
        continue;
      }
      for (Operand<?> in : op.inputs()) {
        GraphOperation src = (GraphOperation) in.op();
        while (PASS_THROUGH.contains(src.type()) && src.numInputs() > 0) {
          src = (GraphOperation) src.input(0).op();
        }
        if (LAYER_OPS.contains(src.type())) {
          return src.name();
        }
      }
    }
    return variable.name();
  }

  /** How far past a weight its layer's op is looked for. */
  private static final int MAX_HOPS = 6;

  /** The longest path, in ops, from each op that computes {@code sr} (the names {@code sub}) to it. */
  private static Map<String, Integer> depthToOutput(Graph g, Set<String> sub, Output<?> sr) {
    Map<String, Integer> pending = new HashMap<>();
    for (String name : sub) {
      pending.put(name, (int) g.operation(name).consumers().stream().map(GraphOperation::name).distinct()
          .filter(sub::contains).count());
    }
    Map<String, Integer> depth = new HashMap<>();
    ArrayDeque<String> ready = new ArrayDeque<>();
    String out = sr.op().name();
    depth.put(out, 0);
    ready.add(out);
    while (!ready.isEmpty()) { // reverse topological order: an op once all its consumers are done
      String name = ready.poll();
      int d = depth.getOrDefault(name, 0);
      Set<String> sources = new java.util.LinkedHashSet<>();
      g.operation(name).inputs().forEach(in -> sources.add(in.op().name()));
      for (String src : sources) {
        if (!sub.contains(src)) {
          continue;
        }
        depth.merge(src, d + 1, Math::max);
        if (pending.merge(src, -1, Integer::sum) == 0) {
          ready.add(src);
        }
      }
    }
    return depth;
  }
}
