/**
 * The fine-tuning loop (the paper's Algorithm 1) driven from Java: {@link dev.srtune.tune.FineTuner} attaches a
 * training subgraph to a SavedModel the caller holds, iterates SGD-momentum steps and applies a stop rule.
 * Lifecycle: attach (build graph, initialise slots) → run (step*, stop) → read / export the result.
 */
package dev.srtune.tune;
