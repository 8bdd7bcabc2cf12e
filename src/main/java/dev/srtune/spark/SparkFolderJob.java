package dev.srtune.spark;

import dev.srtune.eval.FolderJob;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs a folder command's per-image job on Spark, one task per image. Without {@code --master} (and without a
 * {@code spark.master} from {@code spark-submit} or a {@code -Dspark.master}) Spark runs embedded in this JVM as
 * {@code local[cores]}, bound to the loopback address, UI off. On a local master, unless {@code spark.task.cpus} is
 * given, tasks x cores per task fill the master's cores: with fewer images than cores each task gets more cores.
 */
public final class SparkFolderJob {
  private static final Logger LOG = LogManager.getLogger(SparkFolderJob.class);

  private SparkFolderJob() {}

  /** The Spark configuration for {@code images} tasks: {@code spark.*} system properties, then the defaults above. */
  static SparkConf configure(String master, int images, String appName) {
    SparkConf conf = new SparkConf().setAppName(appName);
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    if (master != null) {
      conf.setMaster(master);
    }
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[" + Runtime.getRuntime().availableProcessors() + "]");
    }
    int localCores = localCores(conf.get("spark.master"));
    if (localCores > 0) {
      conf.setIfMissing("spark.task.cpus",
          Integer.toString(Math.max(1, localCores / Math.max(1, Math.min(images, localCores)))));
    }
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.ui.enabled", "false");
    }
    return conf;
  }

  /** The cores of a local master (local, local[N], local[*], local[N,F]), or 0 for a cluster's. */
  static int localCores(String master) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?\\])?")
        .matcher(master);
    if (!m.matches()) {
      return 0;
    }
    return m.group(1) == null ? 1 : m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
        : Integer.parseInt(m.group(1));
  }

  /**
   * Runs the command line {@code args} (the whole srtune command line the user gave, which {@code parser} turns
   * into its folder job) on each of {@code names}, one task per image, and returns what the tasks reported, in the
   * order of {@code names}.
   */
  public static List<ImageTaskResult> run(String master, String appName, List<String> args,
      FolderJob.Parser parser, List<String> names) {
    if (names.isEmpty()) {
      return List.of();
    }
    SparkConf conf = configure(master, names.size(), appName);
    long t0 = System.nanoTime();
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      LOG.info("Spark {} up in {} s: {} image(s), one task each, {} core(s) per task", conf.get("spark.master"),
          String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9), names.size(),
          sc.getConf().get("spark.task.cpus", "1"));
      List<ImageTaskResult> results = sc.parallelize(names, names.size()).map(new ImageTask(args, parser)).collect();
      for (ImageTaskResult r : results) {
        LOG.info("{}: {} ({} s, {} TensorFlow thread(s))", r.name(), r.message(),
            String.format(java.util.Locale.ROOT, "%.1f", r.seconds()), r.threads());
      }
      return results;
    }
  }
}
