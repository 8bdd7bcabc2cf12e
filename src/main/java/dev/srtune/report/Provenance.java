package dev.srtune.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.TensorFlow;

/** What produced a result: versions and machine, written next to every result. */
public final class Provenance {
  private Provenance() {}

  public static String srtuneVersion() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }

  public static String tensorflowVersion() {
    return TensorFlow.version();
  }

  public static Map<String, Object> versions() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("srtune", srtuneVersion());
    m.put("tensorflow", tensorflowVersion());
    m.put("tensorflow_java", "1.1.0");
    m.put("java", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    return m;
  }
}
