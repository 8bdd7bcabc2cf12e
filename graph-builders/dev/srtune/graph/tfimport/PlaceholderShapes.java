package dev.srtune.graph.tfimport;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * What {@link InferenceMode} does to input placeholders' shapes: an old graph's empty shape read as unknown, and a
 * fixed height and width (a training patch) relaxed to any size where nothing else in the graph relies on it.
 */
final class PlaceholderShapes {
  private PlaceholderShapes() {}

  /**
   * A Placeholder of a graph written before GraphDef version 21 whose {@code shape} is the empty one: then it meant
   * "unknown" (TensorFlow reads it so for such graphs); the {@code _output_shapes} the writer recorded say what it
   * was, else its rank is left unknown, so later steps do not take it for a scalar.
   */
  static NodeDef legacyShape(NodeDef n, int producer) {
    AttrValue shape = n.getAttrOrDefault("shape", null);
    if (producer >= 21 || !n.getOp().equals("Placeholder") || shape == null || !shape.hasShape()
        || shape.getShape().getUnknownRank() || shape.getShape().getDimCount() != 0) {
      return n;
    }
    AttrValue recorded = n.getAttrOrDefault("_output_shapes", null);
    TensorShapeProto s = recorded != null && recorded.getList().getShapeCount() == 1
        ? recorded.getList().getShape(0) : TensorShapeProto.newBuilder().setUnknownRank(true).build();
    return n.toBuilder().putAttr("shape", AttrValue.newBuilder().setShape(s).build()).build();
  }

  private static final Set<String> RESIZES = Set.of("ResizeArea", "ResizeBilinear", "ResizeBicubic",
      "ResizeNearestNeighbor", "Reshape", "Fill", "BroadcastTo");

  /**
   * True where a node sets an image size from a constant (a resize to a fixed size, a reshape to a fixed shape):
   * such a network is built for its input's fixed size, which is then kept.
   */
  static boolean fixesASpatialSize(NodeIndex index) {
    for (NodeDef n : index.nodes()) {
      if (!RESIZES.contains(n.getOp())) {
        continue;
      }
      List<TensorRef> ins = NodeIndex.dataInputs(n);
      int sizeInput = n.getOp().equals("Fill") ? 0 : 1;
      NodeDef size = ins.size() > sizeInput ? index.node(ins.get(sizeInput).node()) : null;
      if (size != null && size.getOp().equals("Const")) {
        TensorShapeProto shape = size.getAttrOrThrow("value").getTensor().getTensorShape();
        long count = shape.getDimCount() == 1 ? shape.getDim(0).getSize() : 0;
        if (count == 2 || count == 4) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * An image placeholder of fixed height and width (SRCNN's {@code [None,33,33,1]}, its training patch) relaxed to any
   * size: a convolutional network runs on any image (not where {@link #fixesASpatialSize} says the graph relies on
   * it).
   */
  static NodeDef anySize(NodeDef p, Map<String, String> settings) {
    AttrValue shape = p.getAttrOrDefault("shape", null);
    if (shape == null || !shape.hasShape() || shape.getShape().getUnknownRank() || shape.getShape().getDimCount() != 4) {
      return p;
    }
    int[] spatial = InferenceMode.channelsFirst(p) ? new int[] {2, 3} : new int[] {1, 2};
    TensorShapeProto.Builder s = shape.getShape().toBuilder();
    boolean fixed = false;
    for (int d : spatial) {
      if (s.getDim(d).getSize() > 0) {
        fixed = true;
        s.setDim(d, TensorShapeProto.Dim.newBuilder().setSize(-1));
      }
    }
    if (!fixed) {
      return p;
    }
    settings.put(p.getName(), "any height and width (the graph fixed them at " + shape.getShape().getDim(spatial[0])
        .getSize() + "x" + shape.getShape().getDim(spatial[1]).getSize() + ")");
    return p.toBuilder().putAttr("shape", AttrValue.newBuilder().setShape(s).build()).build();
  }
}
