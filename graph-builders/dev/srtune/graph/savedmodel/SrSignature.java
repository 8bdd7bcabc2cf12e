package dev.srtune.graph.savedmodel;

/**
 * The contract every SR SavedModel meets so the fine-tuner sees all models alike: signature
 * {@code serving_default}, input {@code lr} [1,h,w,3] → output {@code sr} [1,s·h,s·w,3], both RGB in [0,1].
 * A network's own conventions (0..255, mean subtraction) live inside the graph. Models describe themselves
 * in {@value #METADATA_FILE} next to {@code saved_model.pb}.
 */
public final class SrSignature {
  public static final String KEY = "serving_default";
  public static final String INPUT = "lr";
  public static final String OUTPUT = "sr";
  public static final String TAG = "serve";
  public static final String METADATA_FILE = "srtune.json";
  /**
   * In a pre-upsampling network's SavedModel, the int32 constant its bicubic enlargements read their factor from
   * ({@code srtune.json} says {@code pre_upsampling}); set to another value, the model runs at that scale.
   */
  public static final String SCALE_NODE = "srtune_scale";

  private SrSignature() {}
}
