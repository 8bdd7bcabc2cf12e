/**
 * Image quality metrics on the host, each with its convention in its name and documentation: {@link
 * dev.srtune.metrics.Psnr#rgb} (RGB [0,1], no shave), {@link dev.srtune.metrics.Psnr#y} and {@link
 * dev.srtune.metrics.Ssim#y} (the SR benchmarks' Y channel, 8-bit, shaved), and LPIPS ({@link
 * dev.srtune.metrics.LpipsDistance}, weights found by {@link dev.srtune.metrics.LpipsWeightFiles}).
 */
package dev.srtune.metrics;
