/**
 * Pure TensorFlow graph construction: builders take {@code Ops} and operands and return operands. No file
 * I/O of the user's, no printing. Subpackages: {@code degradation} (the image formation model A),
 * {@code enhancenet} (the original EnhanceNet graph), {@code train} (loss, variables, momentum updates),
 * {@code savedmodel} (the signature contract every SR model meets), {@code torch} (PyTorch state dicts as
 * published), {@code lpips} (the LPIPS perceptual distance).
 */
package dev.srtune.graph;
