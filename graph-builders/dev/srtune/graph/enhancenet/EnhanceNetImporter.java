package dev.srtune.graph.enhancenet;

import dev.srtune.graph.savedmodel.SrSavedModelWriter;
import dev.srtune.graph.savedmodel.SrSignature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/** Builds the EnhanceNet graph for a scale, restores the original checkpoint into it and writes a SavedModel. */
public final class EnhanceNetImporter {
  private EnhanceNetImporter() {}

  /** Writes {@code out} as a SavedModel of EnhanceNet at {@code scale} with the weights of {@code checkpoint}. */
  public static void build(Path checkpoint, int scale, Path out) throws IOException {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> lr = tf.withName(SrSignature.INPUT)
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
      EnhanceNet.Network net = EnhanceNet.build(tf, lr, scale);
      Operand<TFloat32> sr = tf.withName(SrSignature.OUTPUT).identity(net.sr());
      Placeholder<TString> path = tf.withSubScope("restore_checkpoint").withName("path").placeholder(TString.class);
      org.tensorflow.op.Op restore = EnhanceNet.restoreOp(tf, net, path);
      try (TString p = TString.scalarOf(checkpoint.toAbsolutePath().toString())) {
        s.runner().feed(path, p).addTarget(restore).run();
      }
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("name", "enhancenet-pat");
      meta.put("scale", scale);
      meta.put("native_scale", EnhanceNet.NATIVE_SCALE);
      meta.put("architecture", "EnhanceNet-PAT (Sajjadi et al. 2017), original graph"
          + (scale == 4 ? "" : scale == 2 ? ", second x2 upsample removed" : ", one x3 upsample"));
      meta.put("source", "original TF v1 checkpoint " + checkpoint.getFileName());
      meta.put("training_downsampler", "lanczos3");
      meta.put("licence", "CC BY-NC-ND 4.0 (weights)");
      SrSavedModelWriter.export(s, lr, sr, out, meta);
    }
  }
}
