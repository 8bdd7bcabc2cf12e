/**
 * The fine-tuning loop (the paper's Algorithm 1) driven from Java: {@link dev.srtune.tune.FineTuner} attaches a
 * training subgraph to a SavedModel the caller holds, iterates SGD-momentum steps and applies a stop rule.
 * Lifecycle: attach (build graph, initialise slots) → run (step*, stop) → read / export the result. The loop reads
 * as Algorithm 1; its machinery has a class each: the subgraph ({@code TrainingSubgraph}), the weight copies and
 * keep-best ({@code WeightSnapshots}, {@code KeepBest}), the whole-image passes and their tiling plans
 * ({@code WholeImagePassRunner}, {@code PassPlanner}). {@link dev.srtune.tune.FineTuneOptions} is what the loop
 * computes, {@link dev.srtune.tune.SessionSettings} how the session computes it.
 */
package dev.srtune.tune;
