/**
 * EnhanceNet-PAT (Sajjadi et al., ICCV 2017) rebuilt op for op from the original {@code enhancenet.py} /
 * {@code nnlib.py}, with the checkpoint's variable names, restored from the original TF v1 checkpoint.
 */
package dev.srtune.graph.enhancenet;
