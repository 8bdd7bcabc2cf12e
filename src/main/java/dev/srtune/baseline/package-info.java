/**
 * The baselines the paper compares with, on the same operators, metrics and reports as fine-tuning: ZSSR (a small
 * network trained from scratch on the LR image's own downscaled pairs) and Deep Image Prior (a randomly initialised
 * hourglass fitted through the operator). Each is a {@link dev.srtune.baseline.Baseline}; {@link
 * dev.srtune.baseline.BaselineJob} writes its outputs as {@code tune} does.
 */
package dev.srtune.baseline;
