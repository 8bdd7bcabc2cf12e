/**
 * LPIPS v0.1 (Zhang et al. 2018, "The unreasonable effectiveness of deep features as a perceptual metric") as
 * differentiable TensorFlow ops, with the official linear heads and torchvision backbones (SqueezeNet 1.1,
 * AlexNet, VGG16) taken from their PyTorch state dicts. Inputs are NHWC RGB in [0,1].
 *
 * <p>Which backbone matches the paper: its "Perceptual Similarity (PS)" metric is LPIPS [20], but the paper does
 * not name the backbone. The official package's default, and what its authors recommend for evaluation, is
 * {@code alex} v0.1, so {@link dev.srtune.graph.lpips.LpipsNet#ALEX} is the one to reproduce published PS numbers
 * with. {@code squeeze} is what this machine has weights for; its values differ from alex's, so label them.
 */
package dev.srtune.graph.lpips;
