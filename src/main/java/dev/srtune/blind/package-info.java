/**
 * Blind blur kernels: estimating the kernel of an LR image from the image alone ({@link
 * dev.srtune.blind.BlindKernelEstimator}, {@code srtune kernel}, {@code --blur estimate}), the kernel's files
 * ({@link dev.srtune.blind.KernelOutputs}) and how far an estimate is from a known kernel ({@link
 * dev.srtune.blind.KernelError}).
 */
package dev.srtune.blind;
