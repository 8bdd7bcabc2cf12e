package dev.srtune.graph.tfimport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/** The nodes of a GraphDef by name, with their data inputs and consumers, for walking the graph without a session. */
final class NodeIndex {
  /** Ops whose output depends on their input's shape, not its values: no image flows through them. */
  private static final Set<String> SHAPE_OPS = Set.of("Shape", "ShapeN", "Size", "Rank");
  private final GraphDef def;
  private final Map<String, NodeDef> nodes = new LinkedHashMap<>();
  private final Map<String, List<String>> consumers = new HashMap<>();

  NodeIndex(GraphDef def) {
    this.def = def;
    for (NodeDef n : def.getNodeList()) {
      nodes.put(n.getName(), n);
    }
    for (NodeDef n : def.getNodeList()) {
      for (TensorRef in : dataInputs(n)) {
        consumers.computeIfAbsent(in.node(), k -> new ArrayList<>()).add(n.getName());
      }
    }
  }

  /** The graph indexed. */
  GraphDef def() {
    return def;
  }

  Collection<NodeDef> nodes() {
    return nodes.values();
  }

  NodeDef node(String name) {
    return nodes.get(name);
  }

  boolean contains(String name) {
    return nodes.containsKey(name);
  }

  static List<TensorRef> dataInputs(NodeDef n) {
    List<TensorRef> refs = new ArrayList<>();
    for (String s : n.getInputList()) {
      TensorRef r = TensorRef.parse(s);
      if (!r.control()) {
        refs.add(r);
      }
    }
    return refs;
  }

  List<String> consumers(String name) {
    return consumers.getOrDefault(name, List.of());
  }

  /**
   * {@code from} and every node its values reach through data edges: not through a Shape (a dropout mask made
   * from the shape of an activation is not computed from the image).
   */
  Set<String> valueReachableFrom(String from) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(from));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (seen.add(n)) {
        consumers(n).stream().filter(c -> !SHAPE_OPS.contains(nodes.get(c).getOp())).forEach(todo::add);
      }
    }
    return seen;
  }

  /** {@code to} and every node it needs through data edges. */
  Set<String> ancestorsOf(String to) {
    return ancestorsOf(to, Set.of());
  }

  /** {@code to} and every node it needs through data edges, not looking behind the nodes in {@code stops}. */
  Set<String> ancestorsOf(String to, Set<String> stops) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(to));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      NodeDef def = nodes.get(n);
      if (def != null && seen.add(n) && !stops.contains(n)) {
        dataInputs(def).forEach(r -> todo.push(r.node()));
      }
    }
    return seen;
  }
}
