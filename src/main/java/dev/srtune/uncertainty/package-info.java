/**
 * Monte-Carlo dropout uncertainty maps (the paper's Section V-B, issue 12): a loaded model re-imported with dropout
 * ({@link dev.srtune.uncertainty.McDropoutNetwork}), the per-pixel statistics over passes
 * ({@link dev.srtune.uncertainty.UncertaintyEstimate}) and their picture ({@link dev.srtune.uncertainty.VariancePicture}).
 */
package dev.srtune.uncertainty;
