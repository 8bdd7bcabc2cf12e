/**
 * TF.js LayersModels ({@code model.json} + weight shards, as the UpscalerJS packages ship them) rebuilt as plain
 * TensorFlow ops with ref variables, so every op has a registered gradient and the result can be fine-tuned.
 * {@link dev.srtune.graph.tfjs.LayersModel} reads the files, {@link dev.srtune.graph.tfjs.ScaleSurgery} adapts the
 * upsampling to another scale, {@link dev.srtune.graph.tfjs.LayersModelGraph} emits the ops and
 * {@link dev.srtune.graph.tfjs.TfjsImporter} writes the SavedModel.
 */
package dev.srtune.graph.tfjs;
