/**
 * Blur kernels as graph variables: a kernel kept non-negative and summing to one by a softmax over its taps
 * ({@link dev.srtune.graph.blind.KernelVariable}), the blur with such a kernel ({@link dev.srtune.graph.blind.KernelBlur}),
 * the priors a kernel estimate is held to ({@link dev.srtune.graph.blind.KernelPriors}), and the MAP objective that
 * estimates the kernel of an LR image from the image alone ({@link dev.srtune.graph.blind.BlindKernelObjective}).
 */
package dev.srtune.graph.blind;
