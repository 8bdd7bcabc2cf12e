/**
 * Keras layers models rebuilt as plain TensorFlow ops with ref variables, so every op has a registered gradient and
 * the result can be fine-tuned. One layer graph builder, two weight sources: {@link dev.srtune.graph.tfjs.LayersModel}
 * reads a TF.js {@code model.json} and its shards (as the UpscalerJS packages ship them),
 * {@link dev.srtune.graph.tfjs.KerasH5} a Keras full-model .h5 file (the same layer JSON as {@code model_config});
 * {@link dev.srtune.graph.tfjs.LayersModelGraph} emits the ops of either (with {@code ConvolutionLayers},
 * {@code ElementwiseLayers} and {@code TensorFlowOpLayer}), {@link dev.srtune.graph.tfjs.ScaleSurgery} adapts an
 * UpscalerJS model's upsampling to another scale and {@link dev.srtune.graph.tfjs.TfjsImporter} writes its
 * SavedModel; a Keras model goes on through {@code dev.srtune.graph.tfimport.KerasImporter}.
 */
package dev.srtune.graph.tfjs;
