package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.UserInputException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --blur} and {@code --downsampler} become one operator A whose spec is what report.json shows. */
class TuneOptionsOperatorTest {
  private static TuneOptions parse(String... args) {
    TuneOptions o = new TuneOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }

  @Test
  void blurAndDownsamplerCompose() {
    assertEquals("gaussian:15:1.6+lanczos3",
        parse("--blur", "gaussian:15:1.6", "--downsampler", "lanczos3").operator(2).spec());
    assertEquals("disk:5+bicubic", parse("--blur", "disk:5").operator(4).spec());
    assertEquals("bicubic", parse().operator(3).spec());
  }

  @Test
  void badSpecsBecomeUserInputErrors() {
    UserInputException e = assertThrows(UserInputException.class,
        () -> parse("--blur", "gauss:15").operator(2));
    assertTrue(e.getMessage().contains("disk:RADIUS"), e.getMessage());
    assertThrows(UserInputException.class, () -> parse("--downsampler", "area").operator(2));
  }
}
