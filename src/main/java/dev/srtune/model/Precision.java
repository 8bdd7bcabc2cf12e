package dev.srtune.model;

import dev.srtune.UserInputException;
import java.util.Locale;

/**
 * The arithmetic a model's session runs in. {@link #BF16} turns on TensorFlow's oneDNN auto mixed precision
 * (bfloat16 convolutions and matrix products, float32 elsewhere): it needs oneDNN on
 * ({@code TF_ENABLE_ONEDNN_OPTS=1}) and is only faster on CPUs with bfloat16 instructions (AVX512_BF16, AMX).
 */
public enum Precision {
  FP32,
  BF16,
  /**
   * Chosen when the model is loaded ({@link SrModel#load(java.nio.file.Path, Precision, boolean)}): bf16 where it was
   * measured to pay, fp32 elsewhere. A session never runs in AUTO.
   */
  AUTO;

  /** "fp32", "bf16" or "auto" (any case); anything else is a {@link UserInputException}. */
  public static Precision parse(String spec) {
    String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "fp32" -> FP32;
      case "bf16" -> BF16;
      case "auto" -> AUTO;
      default -> throw new UserInputException("Unknown precision '" + spec + "'; use auto, fp32 or bf16.");
    };
  }

  /** The spelling {@link #parse} accepts: {@code fp32}, {@code bf16} or {@code auto}. */
  public String spec() {
    return name().toLowerCase(Locale.ROOT);
  }
}
