/**
 * The Apache Spark engine of {@code eval} and {@code tune --input-dir}: one Spark task per image, each running the
 * same per-image job as the local engine with TensorFlow given the task's cores; the driver rebuilds the tables from
 * what the tasks wrote. The only package that refers to Spark, which is an optional dependency.
 */
package dev.srtune.spark;
