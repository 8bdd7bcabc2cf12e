package dev.srtune.eval;

import dev.srtune.graph.lpips.LpipsWeights;
import dev.srtune.image.RgbImage;
import dev.srtune.metrics.LpipsDistance;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The PS columns: LPIPS v0.1 ({@link LpipsDistance}) of an SR image to the HR image. */
public final class LpipsToHr implements PerceptualDistance, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(LpipsToHr.class);
  private final LpipsDistance distance;

  public LpipsToHr(LpipsWeights weights) {
    this.distance = new LpipsDistance(weights);
  }

  @Override
  public String describe() {
    return "LPIPS v0.1 " + distance.net().id();
  }

  @Override
  public Double between(RgbImage sr, RgbImage hr) {
    int min = distance.net().minInputSize();
    if (hr.height() < min || hr.width() < min) {
      LOG.info("{}x{} is smaller than the {}x{} {} needs: PS left empty", hr.height(), hr.width(), min, min,
          describe());
      return null;
    }
    return distance.between(sr, hr);
  }

  @Override
  public void close() {
    distance.close();
  }
}
