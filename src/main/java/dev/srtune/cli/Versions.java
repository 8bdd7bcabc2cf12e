package dev.srtune.cli;

import dev.srtune.report.Provenance;
import picocli.CommandLine.IVersionProvider;

/** Prints srtune's and TensorFlow's versions. */
public final class Versions implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"srtune " + Provenance.srtuneVersion(), "TensorFlow " + Provenance.tensorflowVersion()};
  }
}
