/** Images on the host: {@link dev.srtune.image.RgbImage}, PNG files (Commons Imaging, atomic writes), .npy arrays. */
package dev.srtune.image;
