package dev.srtune.graph.tfimport;

/**
 * One input of a {@code NodeDef} as a GraphDef writes it: {@code node}, {@code node:k}, or {@code ^node} for a
 * control dependency.
 */
record TensorRef(String node, int index, boolean control) {
  static TensorRef parse(String s) {
    if (s.startsWith("^")) {
      return new TensorRef(s.substring(1), -1, true);
    }
    int colon = s.lastIndexOf(':');
    if (colon > 0 && colon < s.length() - 1 && s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      return new TensorRef(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)), false);
    }
    return new TensorRef(s, 0, false);
  }

  /** The same reference to a node renamed {@code node}. */
  TensorRef withNode(String newNode) {
    return new TensorRef(newNode, index, control);
  }

  String format() {
    return control ? "^" + node : index == 0 ? node : node + ":" + index;
  }
}
