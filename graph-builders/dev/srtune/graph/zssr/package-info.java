/**
 * ZSSR (Shocher, Cohen and Irani, "Zero-Shot" Super-Resolution using Deep Internal Learning, CVPR 2018) as graph
 * ops: its small fully convolutional network over the interpolated input and its back-projection step. Pure graph
 * construction; the training loop lives in {@code dev.srtune.baseline}.
 */
package dev.srtune.graph.zssr;
