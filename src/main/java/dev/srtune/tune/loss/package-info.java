/**
 * The terms the fine-tuning objective is the sum of: exactly one data-fidelity term (plain, as in the paper, or
 * weighted per LR pixel by a mask) and any regularisers (total variation). Each is a small graph function of
 * (f(y), A f(y), y) plus what it feeds per step; {@link dev.srtune.tune.FineTuner} sums them and never needs to know
 * which they are.
 */
package dev.srtune.tune.loss;
