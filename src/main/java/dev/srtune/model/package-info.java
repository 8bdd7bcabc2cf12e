/**
 * Finding, fetching, building and loading SR SavedModels that meet the srtune signature contract; the session
 * settings they run with ({@link dev.srtune.model.SessionConfig}, {@link dev.srtune.model.Precision}) and which
 * kernels a step actually ran as ({@link dev.srtune.model.KernelReport}).
 */
package dev.srtune.model;
