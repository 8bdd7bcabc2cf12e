package dev.srtune.graph.tfimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.srtune.image.RgbImage;
import dev.srtune.testing.TfGraphFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * A training graph as people publish one: a Y-channel input placeholder without a shape, TF1 dropout fed a keep
 * probability, TF2 dropout fed a rate, a training flag that the network does not use, biases added with Add. It
 * imports with no option: one channel found from the first convolution, dropout off (keep 1, rate 0, recorded), the
 * unused flag not recorded, the four weights thawed, and the network equals the original run with keep 1 and rate 0.
 */
class InferenceModeImportTest {
  @TempDir static Path tmp;
  static Path frozen;
  static Path model;
  static GraphImport.Imported imported;

  @BeforeAll
  static void importTrainingGraph() throws Exception {
    Random r = new Random(5);
    frozen = TfGraphFiles.writeGraph(tmp.resolve("train.pb"), tf -> {
      Placeholder<TFloat32> x = tf.withName("images").placeholder(TFloat32.class);
      Operand<TFloat32> keep = tf.withName("keep_prob").placeholder(TFloat32.class,
          Placeholder.shape(Shape.scalar()));
      Operand<TFloat32> rate = tf.withName("drop_rate").placeholder(TFloat32.class,
          Placeholder.shape(Shape.scalar()));
      tf.withName("phase_train").placeholder(TBool.class, Placeholder.shape(Shape.scalar()));
      List<Long> ones = List.of(1L, 1L, 1L, 1L);
      Operand<TFloat32> h = tf.nn.relu(tf.math.add(tf.nn.conv2d(x, constant(tf, r, 3, 3, 1, 8), ones, "SAME"),
          constant(tf, r, 8)));
      Operand<TFloat32> mask = tf.math.floor(tf.math.add(keep, tf.random.randomUniform(tf.shape(h),
          TFloat32.class)));
      h = tf.math.mul(tf.math.div(h, keep), mask);
      Operand<TFloat32> h2 = tf.math.add(tf.nn.conv2d(h, constant(tf, r, 3, 3, 8, 4), ones, "SAME"),
          constant(tf, r, 4));
      Operand<TFloat32> kept = tf.dtypes.cast(tf.math.greaterEqual(tf.random.randomUniform(tf.shape(h2),
          TFloat32.class), rate), TFloat32.class);
      h2 = tf.math.mul(tf.math.mul(h2, tf.math.div(tf.constant(1f), tf.math.sub(tf.constant(1f), rate))), kept);
      tf.withName("sr_y").identity(tf.nn.depthToSpace(h2, 2L));
    });
    model = tmp.resolve("model");
    imported = FrozenGraphImporter.build(frozen, GraphImport.Options.found(), model);
  }

  static Operand<TFloat32> constant(Ops tf, Random r, long... dims) {
    float[] v = new float[(int) Shape.of(dims).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (0.3 * r.nextGaussian());
    }
    return tf.constant(Shape.of(dims), DataBuffers.of(v, true, false));
  }

  @Test
  void dropoutIsOffAndWhatWasSetIsRecorded() throws Exception {
    assertEquals("images", imported.input());
    assertEquals("sr_y", imported.output());
    assertEquals(2, imported.scale());
    assertEquals(4, imported.variables(), "two filters and two biases added with Add are thawed");
    JsonObject meta = com.google.gson.JsonParser.parseString(Files.readString(model.resolve("srtune.json")))
        .getAsJsonObject();
    assertTrue(meta.get("network_channels").getAsString().startsWith("y"), meta.toString());
    JsonObject settings = meta.getAsJsonObject("inference_settings");
    assertTrue(settings.get("keep_prob").getAsString().startsWith("1 (a dropout keep probability"), meta.toString());
    assertTrue(settings.get("drop_rate").getAsString().startsWith("0 (a dropout rate"), meta.toString());
    assertFalse(settings.has("phase_train"), "a flag the network does not use is not said to be set: " + settings);
  }

  @Test
  void computesWhatTheOriginalComputesWithDropoutOff() throws Exception {
    RgbImage lr = TfGraphFiles.noise(11, 9, 3);
    float[] y = RealTfModelsTest.networkInput(lr, true, 1f);
    float[] expected;
    try (Graph g = new Graph()) {
      g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(frozen)));
      try (Session s = new Session(g); TFloat32 x = TFloat32.tensorOf(Shape.of(1, 11, 9, 1), DataBuffers.of(y));
          TFloat32 keep = TFloat32.scalarOf(1f); TFloat32 rate = TFloat32.scalarOf(0f);
          Result r = s.runner().feed("images", x).feed("keep_prob", keep).feed("drop_rate", rate).fetch("sr_y")
              .run()) {
        expected = RealTfModelsTest.floats((TFloat32) r.get(0));
      }
    }
    float[] got;
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve"); TFloat32 x = lr.toTensor();
        Result r = b.session().runner().feed("lr", x).fetch(InferenceSubgraph.PREFIX + "sr_y").run()) {
      got = RealTfModelsTest.floats((TFloat32) r.get(0));
    }
    double err = ImportedModels.maxAbsDifference(expected, got);
    assertTrue(err <= 1e-6, "max abs error " + err);
  }

  /**
   * An 8-bit input cast to float, with EDSR's mean shift around an ESPCN-shaped body on [0,255]: the input becomes a
   * float placeholder (said), the value range is measured as 255 (at [0,1] the shifted input is all below the ReLU),
   * and the import equals the original fed the same bytes.
   */
  @Test
  void anEightBitInputOn255IsFoundAndItsRangeMeasured() throws Exception {
    float[] mean = {114.4f, 111.5f, 103.0f};
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("u8.pb"), tf -> {
      Operand<org.tensorflow.types.TUint8> bytes = tf.withName("rgb8").placeholder(org.tensorflow.types.TUint8.class,
          Placeholder.shape(Shape.of(1, -1, -1, 3)));
      Operand<TFloat32> x = tf.math.sub(tf.dtypes.cast(bytes, TFloat32.class), tf.constant(mean));
      Operand<TFloat32> body = TfGraphFiles.network(tf, x, TfGraphFiles.Weights.nearestUpsampling(8, 7, 0.05),
          (name, value) -> value);
      tf.withName("hr").identity(tf.math.add(body, tf.constant(mean)));
    });
    Path out = tmp.resolve("u8-model");
    GraphImport.Imported imp = FrozenGraphImporter.build(pb, GraphImport.Options.found(), out);
    assertEquals("rgb8", imp.input());
    assertEquals("hr", imp.output());
    assertTrue(imp.chosen().stream().anyMatch(c -> c.startsWith("--range 255 (measured")), imp.chosen().toString());
    assertTrue(imp.chosen().stream().anyMatch(c -> c.contains("'rgb8' set to a float image input")),
        imp.chosen().toString());

    RgbImage lr = TfGraphFiles.noise(10, 12, 9).quantized8();
    byte[] u8 = new byte[lr.data().length];
    for (int i = 0; i < u8.length; i++) {
      u8[i] = (byte) RgbImage.to8bit(lr.data()[i]);
    }
    float[] expected;
    try (Graph g = new Graph()) {
      g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(pb)));
      try (Session s = new Session(g);
          var x = org.tensorflow.types.TUint8.tensorOf(Shape.of(1, 10, 12, 3), DataBuffers.of(u8, true, false));
          Result r = s.runner().feed("rgb8", x).fetch("hr").run()) {
        expected = RealTfModelsTest.floats((TFloat32) r.get(0));
      }
    }
    float[] got = ImportedModels.superResolve(out, lr);
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(expected[i] / 255 - got[i]));
    }
    assertTrue(max <= 1e-5, "max abs error " + max);
  }

  /** An input with a default (PlaceholderWithDefault, as Keras writes a learning phase or a serving input). */
  @Test
  void anInputWithADefaultIsTheInput() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("default.pb"), tf -> {
      Operand<TFloat32> x = tf.withName("image").placeholderWithDefault(
          tf.zeros(tf.constant(new long[] {1, 8, 8, 3}), TFloat32.class), Shape.of(1, -1, -1, 3));
      TfGraphFiles.network(tf, x, TfGraphFiles.Weights.random(8, 3), (name, value) -> value);
    });
    Path out = tmp.resolve("default-model");
    GraphImport.Imported imp = FrozenGraphImporter.build(pb, GraphImport.Options.found(), out);
    assertEquals("image", imp.input());
    assertEquals(TfGraphFiles.OUTPUT, imp.output());
    assertEquals(2, imp.scale());
    RgbImage lr = TfGraphFiles.noise(9, 7, 2);
    float[] expected;
    try (Graph g = new Graph()) {
      g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(pb)));
      try (Session s = new Session(g); TFloat32 x = lr.toTensor();
          Result r = s.runner().feed("image", x).fetch(TfGraphFiles.OUTPUT).run()) {
        expected = RealTfModelsTest.floats((TFloat32) r.get(0));
      }
    }
    double err = ImportedModels.maxAbsDifference(expected, ImportedModels.superResolve(out, lr));
    assertTrue(err <= 1e-6, "max abs error " + err);
  }

  /**
   * A network fed by a dataset iterator (images and labels, as a training script builds it): the iterator's image
   * output becomes the input, its labels output a placeholder of its own that the network does not need.
   */
  @Test
  void aDatasetIteratorsImageOutputIsTheInput() throws Exception {
    Path pb = TfGraphFiles.writeGraph(tmp.resolve("iterator.pb"), tf -> {
      List<Class<? extends org.tensorflow.types.family.TType>> types = List.of(TFloat32.class, TFloat32.class);
      List<Shape> shapes = List.of(Shape.of(-1, -1, -1, 3), Shape.of(-1, -1, -1, 3));
      var iterator = tf.data.iterator("train_iterator", "", types, shapes);
      var next = tf.withName("IteratorGetNext").data.iteratorGetNext(iterator, types, shapes);
      @SuppressWarnings("unchecked")
      Operand<TFloat32> images = (Operand<TFloat32>) next.components().get(0);
      @SuppressWarnings("unchecked")
      Operand<TFloat32> labels = (Operand<TFloat32>) next.components().get(1);
      Operand<TFloat32> sr = TfGraphFiles.network(tf, images, TfGraphFiles.Weights.random(8, 4), (n, v) -> v);
      tf.withName("loss").math.mean(tf.math.squaredDifference(sr, labels), tf.constant(new int[] {0, 1, 2, 3}));
    });
    Path out = tmp.resolve("iterator-model");
    GraphImport.Imported imp = FrozenGraphImporter.build(pb, GraphImport.Options.found(), out);
    assertEquals("IteratorGetNext", imp.input());
    assertEquals(TfGraphFiles.OUTPUT, imp.output());
    assertTrue(imp.chosen().stream().anyMatch(c -> c.contains("dataset iterator")), imp.chosen().toString());
    RgbImage lr = TfGraphFiles.noise(8, 10, 5);
    float[] expected;
    try (Graph g = new Graph()) {
      g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(pb)));
      try (Session s = new Session(g); TFloat32 x = lr.toTensor();
          Result r = s.runner().feed("IteratorGetNext", x).fetch(TfGraphFiles.OUTPUT).run()) {
        expected = RealTfModelsTest.floats((TFloat32) r.get(0));
      }
    }
    double err = ImportedModels.maxAbsDifference(expected, ImportedModels.superResolve(out, lr));
    assertTrue(err <= 1e-6, "max abs error " + err);
  }
}
