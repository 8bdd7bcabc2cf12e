/**
 * The image formation model A = D∘B as differentiable graph ops on NHWC [0,1] float images: downsamplers D
 * (MATLAB-style antialiased bicubic, ...) and blurs B. Each operator has a spec string parsed in one place,
 * {@link dev.srtune.graph.degradation.Degradations}.
 */
package dev.srtune.graph.degradation;
