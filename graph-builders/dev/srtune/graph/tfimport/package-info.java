/**
 * Imports networks people already have as TensorFlow graphs — frozen GraphDefs and TF1 meta-graph checkpoints — as
 * srtune SavedModels: the inference subgraph is cut out, weights become variables (constants are thawed), the
 * network's own conventions (value range, Y channel, residual) are wrapped around it so the result meets the
 * {@code lr → sr} RGB contract.
 */
package dev.srtune.graph.tfimport;
