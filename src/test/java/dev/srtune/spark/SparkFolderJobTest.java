package dev.srtune.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The Spark configuration the engine builds: embedded on loopback without UI, tasks x threads = the cores. */
class SparkFolderJobTest {
  static final int CORES = Runtime.getRuntime().availableProcessors();

  @Test
  void embeddedFillsTheMachineOnLoopbackWithoutUi() {
    SparkConf one = SparkFolderJob.configure(null, 1, "t");
    assertEquals("local[" + CORES + "]", one.get("spark.master"));
    assertEquals(Integer.toString(CORES), one.get("spark.task.cpus"), "one image: all cores to its task");
    assertEquals("127.0.0.1", one.get("spark.driver.bindAddress"));
    assertEquals("127.0.0.1", one.get("spark.driver.host"));
    assertEquals("false", one.get("spark.ui.enabled"));
    assertEquals("false", one.get("spark.ui.showConsoleProgress"));
    assertEquals("1", SparkFolderJob.configure(null, CORES + 3, "t").get("spark.task.cpus"));
  }

  @Test
  void aLocalMasterSplitsItsCoresAmongTheImages() {
    assertEquals("1", SparkFolderJob.configure("local[4]", 4, "t").get("spark.task.cpus"));
    assertEquals("2", SparkFolderJob.configure("local[4]", 2, "t").get("spark.task.cpus"));
    assertEquals("4", SparkFolderJob.configure("local[4,3]", 1, "t").get("spark.task.cpus"));
    assertEquals("1", SparkFolderJob.configure("local", 5, "t").get("spark.task.cpus"));
    assertEquals(Integer.toString(CORES), SparkFolderJob.configure("local[*]", 1, "t").get("spark.task.cpus"));
  }

  @Test
  void aClusterMasterKeepsSparksDefaults() {
    SparkConf c = SparkFolderJob.configure("spark://host:7077", 3, "t");
    assertEquals("spark://host:7077", c.get("spark.master"));
    assertFalse(c.contains("spark.task.cpus"), "the cluster's spark.task.cpus (or --conf) decides");
    assertFalse(c.contains("spark.driver.bindAddress"));
    assertFalse(c.contains("spark.ui.enabled"));
  }
}
