package dev.srtune.graph.tfimport;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/**
 * The adapters a graph shows by itself: a one-channel input means a Y-channel network, and a second image input
 * means one fed with the bicubic upscaling of the LR — which of the two takes the LR, and at what scale, is measured
 * by running the original network on grey images of LR and HR size for each assignment and each scale from 2 to
 * {@value #MAX_SCALE}: the one combination that runs and returns an HR-sized image is the answer.
 */
final class InputRoles {
  static final int MAX_SCALE = 8;

  /** The inputs' roles and the network's scale. */
  record Measured(Endpoints.Chosen io, int scale) {}

  private InputRoles() {}

  /**
   * {@code a} with its channels chosen where they were left open: Y where the input takes one channel, else RGB;
   * what was chosen is added to {@code chosen}.
   */
  static NetworkAdapters chooseChannels(NodeIndex index, Endpoints.Chosen io, NetworkAdapters a, List<String> chosen) {
    NetworkAdapters out = a;
    if (a.channels() == null) {
      boolean one = Endpoints.fixedHwc(index.node(io.input()))[2] == 1;
      out = a.withChannels(one ? NetworkAdapters.Channels.Y : NetworkAdapters.Channels.RGB);
      if (one) {
        chosen.add("--channels y (the input '" + io.input() + "' takes one channel)");
      }
    }
    if (out.mean() != null && out.mean().length != 3 && !(out.mean().length == 1
        && out.channels() == NetworkAdapters.Channels.Y)) {
      throw new GraphImportException("--mean needs three values (R,G,B)" + (out.channels()
          == NetworkAdapters.Channels.Y ? " or one (Y)" : "") + ", not " + out.mean().length + "; pass --mean R,G,B.");
    }
    Endpoints.checkChannels(index.node(io.input()), out);
    if (io.bicubicInput() != null) {
      Endpoints.checkChannels(index.node(io.bicubicInput()), out);
    }
    return out;
  }

  /**
   * Runs the original network ({@code session} computes {@code output} from the placeholders named in {@code io})
   * to find which input takes the LR and the scale.
   *
   * @param rolesGiven the user named one of the inputs, so only {@code io}'s assignment is tried
   * @param scale the scale given, or 0
   */
  static Measured measure(Session session, NodeIndex index, Endpoints.Chosen io, TensorRef output,
      boolean rolesGiven, int channels, int scale) {
    List<Endpoints.Chosen> assignments = rolesGiven ? List.of(io) : List.of(io, io.swapped());
    List<Measured> runs = new ArrayList<>();
    for (Endpoints.Chosen roles : assignments) {
      List<Integer> scales = new ArrayList<>();
      for (int s = scale > 0 ? scale : 2; s <= (scale > 0 ? scale : MAX_SCALE); s++) {
        if (runsAt(session, index, roles, output, channels, s)) {
          scales.add(s);
        }
      }
      if (scales.size() > 1 && scale == 0) {
        throw new GraphImportException("The network runs with '" + roles.bicubicInput() + "' fed an upscaling of '"
            + roles.input() + "' by " + scales.size() + " different scales (" + scales + "); pass --scale.");
      }
      scales.forEach(s -> runs.add(new Measured(roles, s)));
    }
    if (runs.isEmpty()) {
      throw new GraphImportException("The network does not return an HR-sized image with one of '" + io.input()
          + "' and '" + io.bicubicInput() + "' fed an LR image and the other its upscaling by "
          + (scale > 0 ? scale : "any scale from 2 to " + MAX_SCALE) + "; pass --input, --bicubic-input and "
          + "--scale as the network takes them.");
    }
    if (runs.size() > 1) {
      throw new GraphImportException("Either of '" + io.input() + "' and '" + io.bicubicInput() + "' can take the "
          + "LR image; pass --bicubic-input with the one that takes its bicubic upscaling.");
    }
    return runs.get(0);
  }

  /** One pass on grey images: true if the output is s times the LR input's size. */
  private static boolean runsAt(Session session, NodeIndex index, Endpoints.Chosen roles, TensorRef output,
      int channels, int s) {
    long[] lr = size(index.node(roles.input()));
    long[] hr = Endpoints.fixedHwc(index.node(roles.bicubicInput()));
    if ((hr[0] > 0 && hr[0] != s * lr[0]) || (hr[1] > 0 && hr[1] != s * lr[1])) {
      return false;
    }
    try (TFloat32 a = grey(Shape.of(1, lr[0], lr[1], channels));
        TFloat32 b = grey(Shape.of(1, s * lr[0], s * lr[1], channels));
        var r = session.runner().feed(roles.input(), a).feed(roles.bicubicInput(), b)
            .fetch(output.node(), output.index()).run()) {
      Tensor t = r.get(0);
      Shape sh = t.shape();
      return sh.numDimensions() == 4 && sh.get(1) == s * lr[0] && sh.get(2) == s * lr[1];
    } catch (TensorFlowException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The placeholder's fixed height and width, or the probe size where it leaves them open. */
  private static long[] size(NodeDef placeholder) {
    long[] hwc = Endpoints.fixedHwc(placeholder);
    return new long[] {hwc[0] > 0 ? hwc[0] : NetworkExport.PROBE_SIZE, hwc[1] > 0 ? hwc[1] : NetworkExport.PROBE_SIZE};
  }

  private static TFloat32 grey(Shape shape) {
    return TFloat32.tensorOf(shape, d -> d.scalars().forEach(x -> x.setFloat(0.5f)));
  }
}
