/**
 * Imports networks people already have as TensorFlow graphs — frozen GraphDefs, TF1 meta-graph checkpoints and
 * TF2/Keras function-based SavedModels (their calls inlined into plain ops) — as srtune SavedModels: the inference
 * subgraph is cut out, weights become variables (constants are thawed), the network's own conventions (channels,
 * value range, mean, residual, a second input fed the bicubic upscaling) are wrapped around it so the result meets
 * the {@code lr → sr} RGB contract.
 */
package dev.srtune.graph.tfimport;
