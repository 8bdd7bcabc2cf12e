/**
 * Images on the host: {@link dev.srtune.image.RgbImage}; image files read as users have them (PNG up to 16 bits and
 * JPEG of every kind with the JDK's readers, EXIF orientation applied, a JPEG's own compression facts kept) and
 * written as 8-bit PNGs atomically; .npy arrays.
 */
package dev.srtune.image;
