/** The SavedModel signature contract shared by every SR network srtune builds, imports or fine-tunes. */
package dev.srtune.graph.savedmodel;
