package dev.srtune.graph.degradation;

/** How a resize or blur extends the image beyond its border. */
public enum Boundary {
  /** Clamp indices to the edge: what the MATLAB that made the classic benchmark LR images did. */
  REPLICATE,
  /** Mirror with the edge sample repeated ('ABC|CBA'), MATLAB's 'symmetric'. */
  SYMMETRIC
}
