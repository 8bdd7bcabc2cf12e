package dev.srtune.uncertainty;

import dev.srtune.UserInputException;
import dev.srtune.graph.dropout.DropoutPlacement;
import dev.srtune.graph.dropout.DropoutSurgery;
import dev.srtune.graph.savedmodel.SrSignature;
import dev.srtune.image.RgbImage;
import dev.srtune.model.SessionConfig;
import dev.srtune.model.SrModel;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * A loaded SR model with test-time dropout on chosen edges, in its own graph and session; the loaded model itself
 * is left untouched.
 *
 * <p>How it is made: the model's GraphDef ({@code metaGraphDef().getGraphDef()}, i.e. the graph as saved, with its
 * variables and saver ops) goes through {@link DropoutSurgery} and is imported into a new {@link Graph}; the weights
 * are then restored from the model's {@code variables/variables} checkpoint by running the SavedModel's own saver
 * restore op ({@code metaGraphDef().getSaverDef()}), exactly as the SavedModel loader does. The network is therefore
 * the saved one; weights changed in memory after loading (fine-tuning) are not seen: export them first.
 *
 * <p>One {@link #run} computes {@link #batch()} passes on one image, each with its own seed row (user seed, pass
 * index), so pass i's masks are the same whatever the batch size and whatever ran before.
 */
public final class McDropoutNetwork implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final String input;
  private final String output;
  private final List<String> sites;
  private final int batch;
  private final double rate;
  private final String placement;

  private McDropoutNetwork(Graph graph, Session session, String input, String output, DropoutSurgery.Result r,
      double rate, String placement) {
    this.graph = graph;
    this.session = session;
    this.input = input;
    this.output = output;
    this.sites = r.sites();
    this.batch = r.batch();
    this.rate = rate;
    this.placement = placement;
  }

  /**
   * Re-imports {@code model} with dropout at {@code rate} where {@code placement} says, computing {@code batch}
   * passes per run. A placement that finds no edge, or a model without a saver, is a {@link UserInputException}.
   */
  public static McDropoutNetwork insert(SrModel model, DropoutPlacement placement, double rate, int batch) {
    if (!(rate >= 0 && rate < 1)) {
      throw new UserInputException("--dropout " + rate + " is not a rate in [0,1); give e.g. 0.0005.");
    }
    MetaGraphDef meta = model.bundle().metaGraphDef();
    SignatureDef sig = meta.getSignatureDefMap().get(SrSignature.KEY);
    String in = sig != null && sig.getInputsMap().containsKey(SrSignature.INPUT)
        ? sig.getInputsMap().get(SrSignature.INPUT).getName() : SrSignature.INPUT + ":0";
    String out = sig != null && sig.getOutputsMap().containsKey(SrSignature.OUTPUT)
        ? sig.getOutputsMap().get(SrSignature.OUTPUT).getName() : SrSignature.OUTPUT + ":0";
    String inOp = in.replaceAll(":\\d+$", "");
    List<String> sites = placement.sites(meta.getGraphDef(), inOp, out.replaceAll(":\\d+$", ""));
    if (sites.isEmpty()) {
      throw new UserInputException("No edge of the model at " + model.dir() + " matches the dropout placement "
          + placement.describe() + "; give --layers a pattern that matches some of its op names.");
    }
    SaverDef saver = meta.getSaverDef();
    if (saver.getRestoreOpName().isEmpty()) {
      throw new UserInputException("The SavedModel at " + model.dir() + " has no saver to restore its weights into "
          + "a graph with dropout; re-export it with srtune (e.g. 'srtune build ...').");
    }
    DropoutSurgery.Result r = DropoutSurgery.insert(meta.getGraphDef(), inOp, sites, rate, batch);
    Graph g = new Graph();
    try {
      g.importGraphDef(r.graph());
      Session s = new Session(g, SessionConfig.get());
      try (TString prefix = TString.scalarOf(model.dir().resolve("variables").resolve("variables")
          .toAbsolutePath().toString())) {
        s.runner().feed(saver.getFilenameTensorName(), prefix).addTarget(saver.getRestoreOpName()).run();
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
      return new McDropoutNetwork(g, s, in, out, r, rate, placement.describe());
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** The op names whose output 0 passes through dropout. */
  public List<String> sites() {
    return sites;
  }

  /** Passes computed by one {@link #run}. */
  public int batch() {
    return batch;
  }

  public double rate() {
    return rate;
  }

  /** {@code blocks} or {@code layers:REGEX}. */
  public String placement() {
    return placement;
  }

  /**
   * Passes {@code first} .. {@code first + batch() - 1} on {@code y} with seed {@code seed}: one output per pass,
   * unclipped, in the network's [0,1] convention.
   */
  public List<RgbImage> run(RgbImage y, long seed, long first) {
    int h = y.height();
    int w = y.width();
    float[] x = new float[batch * h * w * 3];
    long[] seeds = new long[batch * 2];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(y.data(), 0, x, b * h * w * 3, h * w * 3);
      seeds[2 * b] = seed;
      seeds[2 * b + 1] = first + b;
    }
    try (TFloat32 xt = TFloat32.tensorOf(Shape.of(batch, h, w, 3), DataBuffers.of(x, true, false));
        TInt64 st = TInt64.tensorOf(Shape.of(batch, 2), DataBuffers.of(seeds, true, false));
        Result r = session.runner().feed(input, xt).feed(DropoutSurgery.SEEDS, st).fetch(output).run()) {
      TFloat32 sr = (TFloat32) r.get(0);
      Shape s = sr.shape();
      if (s.numDimensions() != 4 || s.get(0) != batch || s.get(3) != 3) {
        throw new IllegalStateException("the network with dropout returned " + s + " for " + batch + " passes");
      }
      int oh = (int) s.get(1);
      int ow = (int) s.get(2);
      float[] all = new float[batch * oh * ow * 3];
      sr.asRawTensor().data().asFloats().read(all);
      List<RgbImage> outs = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        outs.add(new RgbImage(oh, ow, java.util.Arrays.copyOfRange(all, b * oh * ow * 3, (b + 1) * oh * ow * 3)));
      }
      return outs;
    }
  }

  /**
   * Whether the network takes a batch of {@link #batch()} passes: a graph may hard-code a batch of 1 (a Reshape to
   * [1,...]), which opening the input's batch dimension does not change. Tried on a 16×16 corner of {@code y}.
   */
  public boolean runsBatched(RgbImage y) {
    try {
      run(y.crop(0, 0, Math.min(16, y.height()), Math.min(16, y.width())), 0, 0);
      return true;
    } catch (org.tensorflow.exceptions.TensorFlowException | IllegalStateException e) {
      return false;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
