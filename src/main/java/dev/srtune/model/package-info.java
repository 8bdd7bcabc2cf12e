/**
 * Finding, fetching, building and loading SR SavedModels that meet the srtune signature contract; the session
 * settings they run with ({@link dev.srtune.model.SessionConfig}, {@link dev.srtune.model.Precision}) and which
 * kernels a step actually ran as ({@link dev.srtune.model.KernelReport}); running a model over an image too large for
 * one pass in overlapping tiles ({@link dev.srtune.model.TiledInference}, {@link dev.srtune.model.Tiling}, sized by
 * its {@link dev.srtune.model.ReceptiveField} and {@link dev.srtune.model.MemoryEstimate}).
 */
package dev.srtune.model;
