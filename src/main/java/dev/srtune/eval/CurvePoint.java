package dev.srtune.eval;

/** One point of an image's fine-tuning curve; {@code hrPsnr} (RGB, no shave) is null where it was not measured. */
public record CurvePoint(int iteration, double lrPsnr, Double hrPsnr) {}
