/**
 * Making LR images (and the bicubic baseline) on the host by running the degradation graph ops once, with the 8-bit
 * rounding the original tools apply; and reading {@code kernel:FILE} blur kernels for the graph builders.
 */
package dev.srtune.degrade;
