/**
 * LPIPS v0.1 (Zhang et al. 2018, "The unreasonable effectiveness of deep features as a perceptual metric") as
 * differentiable TensorFlow ops, with the official linear heads and torchvision backbones (SqueezeNet 1.1,
 * AlexNet, VGG16) taken from their PyTorch state dicts. Inputs are NHWC RGB in [0,1].
 */
package dev.srtune.graph.lpips;
