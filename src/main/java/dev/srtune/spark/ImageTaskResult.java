package dev.srtune.spark;

import java.io.Serializable;

/**
 * What one image's task tells the driver (the files it wrote are the real result).
 *
 * @param name the image
 * @param ok true when the image finished (now or before)
 * @param message a one-line summary, or why it failed
 * @param seconds the task's wall time
 * @param threads the TensorFlow intra-op threads it ran with
 */
public record ImageTaskResult(String name, boolean ok, String message, double seconds, int threads)
    implements Serializable {}
