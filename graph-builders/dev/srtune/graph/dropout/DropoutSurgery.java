package dev.srtune.graph.dropout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Rewrites a network's GraphDef so that chosen edges pass through inverted dropout, for Monte-Carlo dropout at test
 * time (Gal and Ghahramani; the paper's Section V-B) on a network that was trained without it.
 *
 * <p>How (in DESIGN's terms, graph code only: a GraphDef in, a GraphDef out). The dropout ops are built with the
 * ordinary {@link Ops} API in a scratch graph, one small subgraph per site under {@value #SCOPE}{@code /site_K/},
 * each reading a stand-in placeholder {@code site_K/x}. That scratch GraphDef is then spliced into the network's:
 * the stand-ins are dropped and the subgraphs read the site's tensor instead, and every op that consumed the site's
 * tensor now consumes {@code site_K/out}. The input placeholder's batch dimension is opened (-1) so several passes
 * run in one session call. Nothing else changes: variables, their restore ops and the signature's tensor names
 * stay, so the caller imports the result into a new {@link Graph} and restores the weights with the model's own
 * saver (or copies them in).
 *
 * <p>Each site computes {@code y = x · [u ≥ p] · 1/(1−p)} with {@code u} from StatelessRandomUniform, drawn per
 * pass: the graph is built for a fixed batch of {@code B} passes, and pass {@code b} of a call uses the seed row
 * {@code seeds[b]} plus {@code K·2^32} in its second component (so sites differ). Masks therefore depend only on
 * (seed row, site), never on the batch size or on earlier runs: the same seeds give the same outputs. With p = 0
 * every mask is 1 and the scale is 1, so the outputs equal the network's bit for bit (up to kernel choice for a
 * batch).
 */
public final class DropoutSurgery {
  /** The name scope of everything this adds. */
  public static final String SCOPE = "mc_dropout";
  /** The int64 [B,2] placeholder of per-pass seeds. */
  public static final String SEEDS = SCOPE + "/seeds";

  private DropoutSurgery() {}

  /**
   * The rewritten graph and what it holds.
   *
   * @param graph the network with dropout
   * @param sites the op names whose output 0 now passes through dropout
   * @param batch B, the number of passes one run computes (the seeds placeholder is [B,2])
   */
  public record Result(GraphDef graph, List<String> sites, int batch) {}

  /**
   * Inserts dropout at rate {@code rate} after each op of {@code sites} (see {@link DropoutPlacement#sites}).
   *
   * @param input the input placeholder's op name (its first dimension is opened to -1)
   * @param batch passes per run, at least 1
   */
  public static Result insert(GraphDef network, String input, List<String> sites, double rate, int batch) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0,1), got " + rate);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    for (NodeDef n : network.getNodeList()) {
      if (n.getName().startsWith(SCOPE + "/")) {
        throw new IllegalArgumentException("the graph already has ops under " + SCOPE + "/");
      }
    }
    GraphDef dropout = dropoutOps(sites.size(), rate, batch);
    Map<String, String> redirect = new HashMap<>(); // site tensor -> dropout output tensor
    Map<String, String> standIn = new HashMap<>();  // stand-in placeholder -> site tensor
    for (int k = 0; k < sites.size(); k++) {
      redirect.put(sites.get(k), siteScope(k) + "/out");
      standIn.put(siteScope(k) + "/x", sites.get(k));
    }
    GraphDef.Builder out = network.toBuilder().clearNode();
    boolean inputFound = false;
    for (NodeDef n : network.getNodeList()) {
      NodeDef.Builder b = n.toBuilder();
      for (int i = 0; i < b.getInputCount(); i++) {
        String in = b.getInput(i);
        String target = in.startsWith("^") ? null : redirect.get(in.endsWith(":0") ? in.substring(0, in.length() - 2)
            : in);
        if (target != null) {
          b.setInput(i, target);
        }
      }
      if (n.getName().equals(input)) {
        inputFound = true;
        b.putAttr("shape", AttrValue.newBuilder().setShape(openBatch(n.getAttrOrThrow("shape").getShape())).build());
      }
      out.addNode(b);
    }
    if (!inputFound) {
      throw new IllegalArgumentException("no input op " + input + " in the graph");
    }
    for (NodeDef n : dropout.getNodeList()) {
      if (standIn.containsKey(n.getName())) {
        continue;
      }
      NodeDef.Builder b = n.toBuilder();
      for (int i = 0; i < b.getInputCount(); i++) {
        String in = b.getInput(i);
        String site = standIn.get(DropoutPlacement.Topology.opName(in));
        if (site != null && !in.startsWith("^")) {
          b.setInput(i, site);
        }
      }
      out.addNode(b);
    }
    return new Result(out.build(), List.copyOf(sites), batch);
  }

  private static String siteScope(int k) {
    return SCOPE + "/site_" + k;
  }

  private static TensorShapeProto openBatch(TensorShapeProto shape) {
    if (shape.getUnknownRank() || shape.getDimCount() == 0) {
      return shape;
    }
    TensorShapeProto.Builder b = shape.toBuilder();
    b.setDim(0, b.getDim(0).toBuilder().setSize(-1));
    return b.build();
  }

  /** The per-site dropout subgraphs, built with the Ops API in a scratch graph and returned as a GraphDef. */
  private static GraphDef dropoutOps(int sites, double rate, int batch) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withSubScope(SCOPE);
      Placeholder<TInt64> seeds = tf.withName("seeds").placeholder(TInt64.class,
          Placeholder.shape(Shape.of(batch, 2)));
      Operand<TFloat32> p = tf.withName("rate").constant((float) rate);
      Operand<TFloat32> invKeep = tf.withName("inverse_keep").constant((float) (1.0 / (1.0 - rate)));
      for (int k = 0; k < sites; k++) {
        Ops s = tf.withSubScope("site_" + k);
        Placeholder<TFloat32> x = s.withName("x").placeholder(TFloat32.class);
        // One pass's map shape: [1, h, w, c] of x.
        Operand<TInt32> shape = s.concat(List.of(s.constant(new int[] {1}),
            s.slice(s.shape(x), s.constant(new int[] {1}), s.constant(new int[] {-1}))), s.constant(0));
        Operand<TInt64> siteOffset = s.constant(new long[] {0, (long) k << 32});
        List<Operand<TFloat32>> uniforms = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
          Operand<TInt64> row = s.reshape(s.slice(seeds, s.constant(new int[] {b, 0}), s.constant(new int[] {1, 2})),
              s.constant(new int[] {2}));
          uniforms.add(s.random.statelessRandomUniform(shape, s.math.add(row, siteOffset)));
        }
        Operand<TFloat32> u = batch == 1 ? uniforms.get(0) : s.concat(uniforms, s.constant(0));
        Operand<TFloat32> kept = s.dtypes.cast(s.math.greaterEqual(u, p), TFloat32.class);
        s.withName("out").math.mul(s.math.mul(x, kept), invKeep);
      }
      return g.toGraphDef();
    }
  }
}
