package dev.srtune.tune;

import dev.srtune.image.RgbImage;

/** A whole-image measurement of the current weights, with f_ψ(y) when it was asked for (else null). */
record Measurement(IterationRecord record, RgbImage output) {}
