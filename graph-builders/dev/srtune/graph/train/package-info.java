/**
 * The training subgraph added to a loaded SR model: its trainable variables, the data-fidelity loss
 * ‖A f(y) − y‖² (plain or weighted per LR pixel), total variation, momentum updates and weight snapshots. Pure graph construction.
 */
package dev.srtune.graph.train;
