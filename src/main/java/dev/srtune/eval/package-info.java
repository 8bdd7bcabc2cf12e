/**
 * The evaluation harness ({@code srtune eval}): over a folder of HR images, make each LR as {@code srtune degrade}
 * does, fine-tune with {@link dev.srtune.tune.TuneJob}, measure before/after against the HR image and the bicubic
 * baseline, and write the paper-shaped tables, pictures and an offline {@code index.html}. Each image's result is
 * stored atomically as it finishes, so an interrupted run resumes without recomputing finished images; a failing
 * image is recorded ({@link dev.srtune.eval.ImageFailure}) and the rest finish. {@link dev.srtune.eval.FolderTune}
 * is the same over a folder of LR images for {@code srtune tune --input-dir}. Work is split as prepare /
 * one image / finish so that an engine (the local loop, {@code dev.srtune.spark}) can run the images anywhere; a
 * {@link dev.srtune.eval.FolderJob} is that per-image part, as an engine sees it.
 */
package dev.srtune.eval;
