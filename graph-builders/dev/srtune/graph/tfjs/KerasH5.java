package dev.srtune.graph.tfjs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Keras full-model HDF5 file ({@code model.save('x.h5')}, Keras 2): the {@code model_config} JSON attribute on the
 * root — the same layer JSON a TF.js {@code model.json} holds as its {@code modelTopology} — and the weights under
 * {@code model_weights/<layer>/}, named by each layer group's {@code weight_names} attribute
 * ({@code conv2d_8/kernel:0}). Read with jHDF (pure Java); the result is the {@link LayersModel} the TF.js importer
 * builds from, with the weights keyed {@code <layer>/<weight>} as there.
 */
public final class KerasH5 {
  private KerasH5() {}

  public static LayersModel read(Path h5) {
    if (!Files.isRegularFile(h5)) {
      throw new TfjsModelException("No Keras .h5 file at " + h5 + ".");
    }
    if (isZip(h5)) {
      throw new TfjsModelException(h5.getFileName() + " is a Keras 3 .keras archive, not an HDF5 file; save the model "
          + "with model.save('x.h5') (Keras 2 format) to import it.");
    }
    try (HdfFile file = new HdfFile(h5)) {
      Attribute config = file.getAttributes().get("model_config");
      if (config == null) {
        throw new TfjsModelException(h5.getFileName() + " holds no model_config (it is a weights-only file, as "
            + "save_weights writes); save the whole model with model.save(), or import the architecture with it.");
      }
      JsonObject modelConfig;
      try {
        modelConfig = JsonParser.parseString(text(config.getData())).getAsJsonObject();
      } catch (RuntimeException e) {
        throw new TfjsModelException("The model_config of " + h5.getFileName() + " is not valid JSON ("
            + e.getMessage() + ").", e);
      }
      Node weightsNode = file.getChildren().get("model_weights");
      if (!(weightsNode instanceof Group weights)) {
        throw new TfjsModelException(h5.getFileName() + " holds no model_weights group; save the whole model with "
            + "model.save() so the weights are in the file.");
      }
      return LayersModel.fromConfig(modelConfig, readWeights(weights), h5.getFileName().toString());
    } catch (TfjsModelException e) {
      throw e;
    } catch (RuntimeException e) { // jHDF's HdfException and the like: a damaged or cut file
      throw new TfjsModelException(h5.getFileName() + " cannot be read as HDF5 (" + firstLine(e) + "); the file is "
          + "truncated or damaged, download it again.", e);
    }
  }

  /** Every layer group's weights, keyed {@code <layer>/<weight>} with the {@code :0} suffix dropped. */
  private static Map<String, WeightTensor> readWeights(Group weights) {
    Map<String, WeightTensor> out = new LinkedHashMap<>();
    for (Node layerNode : weights) {
      if (!(layerNode instanceof Group layer) || layer.getAttribute("weight_names") == null) {
        continue;
      }
      Attribute names = layer.getAttribute("weight_names");
      if (names.isEmpty() || names.getSize() == 0) {
        continue; // a layer without weights (activation, add...)
      }
      for (String full : strings(names.getData())) {
        Node n = layer.getByPath(full);
        if (!(n instanceof Dataset d)) {
          throw new TfjsModelException("Layer '" + layer.getName() + "' lists weight '" + full + "', which the file "
              + "does not hold.");
        }
        String shortName = full.substring(full.lastIndexOf('/') + 1).replaceFirst(":\\d+$", "");
        String key = layer.getName() + "/" + shortName;
        out.put(key, tensor(key, d));
      }
    }
    return out;
  }

  private static WeightTensor tensor(String key, Dataset d) {
    Object flat = d.getDataFlat();
    float[] v;
    if (flat instanceof float[] f) {
      v = f;
    } else if (flat instanceof double[] dv) {
      v = new float[dv.length];
      for (int i = 0; i < dv.length; i++) {
        v[i] = (float) dv[i];
      }
    } else {
      throw new TfjsModelException("Weight '" + key + "' is of type " + d.getJavaType().getSimpleName()
          + "; only float weights can be imported.");
    }
    int[] dims = d.getDimensions();
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
    }
    return new WeightTensor(key, shape, v);
  }

  private static String text(Object data) {
    if (data instanceof String s) {
      return s;
    }
    if (data instanceof String[] a && a.length == 1) {
      return a[0];
    }
    throw new TfjsModelException("model_config is not a string attribute.");
  }

  private static String[] strings(Object data) {
    if (data instanceof String[] a) {
      return a;
    }
    if (data instanceof String s) {
      return new String[] {s};
    }
    throw new TfjsModelException("A layer's weight_names is not a list of strings.");
  }

  private static boolean isZip(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    } catch (java.io.IOException e) {
      return false; // jHDF says what is wrong with it
    }
  }

  private static String firstLine(Throwable e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()).trim();
  }
}
