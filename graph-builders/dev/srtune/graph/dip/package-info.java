/**
 * Deep Image Prior (Ulyanov, Vedaldi and Lempitsky, CVPR 2018) as graph ops: the "skip" hourglass network of its
 * super-resolution experiments. Pure graph construction; the optimisation loop lives in {@code dev.srtune.baseline}.
 */
package dev.srtune.graph.dip;
