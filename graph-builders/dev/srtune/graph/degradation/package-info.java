/**
 * The image formation model A = D∘B as differentiable graph ops on NHWC [1,H,W,3] float images in [0,1].
 *
 * <p>Downsamplers D (integer factors 2, 3, 4, 8; output floor(H/s) x floor(W/s)):
 * {@code bicubic} (MATLAB antialiased imresize, clamped borders: reproduces the classic benchmark LR images),
 * {@code bicubic-sym} (mirrored borders), {@code lanczos3} (PIL's antialiased Lanczos, EnhanceNet's training
 * filter). Blurs B (2-D correlation, mirrored borders): {@code gaussian:SIZE:SIGMA},
 * {@code gaussian:SIZE:SIGMA1,SIGMA2,THETA}, {@code disk:R} (MATLAB fspecial), {@code kernel:FILE} (values supplied
 * by the runtime through {@link dev.srtune.graph.degradation.KernelSource}), {@code random:seed=N[,size=K][,noise=X]}
 * (ZSSR-style non-ideal kernels). A composed operator's spec is {@code BLUR+DOWNSAMPLER}.
 *
 * <p>Every spec is parsed in one place, {@link dev.srtune.graph.degradation.Degradations}; an operator's
 * {@code spec()} parses back to the same operator and is what reports show.
 */
package dev.srtune.graph.degradation;
