package dev.srtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.srtune.tune.FineTuneOptions;
import dev.srtune.tune.Schedules;
import dev.srtune.tune.loss.DataFidelity;
import dev.srtune.tune.loss.TotalVariationTerm;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What a run with no option minimises and returns: the fast schedule's data term plus TV at {@link Schedules#FAST_TV}
 * and keep-best (with its backtracking), planned for {@link Schedules#PLANNED_BUDGET_SECONDS}; {@code --tv} and
 * {@code --no-keep-best} override them, fast's explicit options give fast (no plan), and the paper's schedule stays
 * Algorithm 1.
 */
class TuneOptionsDefaultsTest {
  private static FineTuneOptions options(String... args) {
    TuneOptions o = new TuneOptions();
    new CommandLine(o).parseArgs(args);
    return o.toOptions(2, FineTuneOptions.MAX_ITERATIONS_DEFAULT);
  }

  @Test
  void theDefaultAddsTvAndKeepsTheBest() {
    FineTuneOptions o = options();
    assertEquals(Schedules.PLANNED, o.name());
    assertEquals(java.time.Duration.ofSeconds((long) Schedules.PLANNED_BUDGET_SECONDS), o.timeBudget());
    assertEquals(List.of(DataFidelity.PLAIN, TotalVariationTerm.scheduleDefault(Schedules.FAST_TV)), o.lossTerms());
    assertTrue(o.keepBest());
  }

  /** The old default stays reachable by its explicit options (issue 30): no plan, every part fast's. */
  @Test
  void fastsExplicitOptionsGiveFastUnplanned() {
    FineTuneOptions fast = Schedules.fast(options().operator());
    FineTuneOptions o = options("--sampling", "crops:48x4", "--optimizer", "adam", "--lr", "1e-4", "--lr-schedule",
        "cosine:300:0", "--measure-every", "10", "--window", "30");
    assertEquals(null, o.timeBudget());
    assertEquals(fast.sampler(), o.sampler());
    assertEquals(fast.optimizer(), o.optimizer());
    assertEquals(fast.schedule(), o.schedule());
    assertEquals(fast.measureEvery(), o.measureEvery());
    assertEquals(fast.stopRule(), o.stopRule());
    assertEquals(fast.lossTerms(), o.lossTerms());
    assertEquals(fast.keepBest(), o.keepBest());
    assertEquals(null, options("--schedule", "fast").timeBudget());
    assertEquals(java.time.Duration.ofSeconds(12), options("--schedule", "fast", "--time-budget", "12").timeBudget());
  }

  @Test
  void optionsOverrideTheSchedulesParts() {
    assertEquals(List.of(DataFidelity.PLAIN, new TotalVariationTerm(0.0)), options("--tv", "0").lossTerms());
    assertEquals(List.of(DataFidelity.PLAIN, new TotalVariationTerm(0.01)), options("--tv", "0.01").lossTerms());
    assertFalse(options("--no-keep-best").keepBest());
    FineTuneOptions paper = options("--schedule", "paper");
    assertEquals(List.of(DataFidelity.PLAIN), paper.lossTerms());
    assertFalse(paper.keepBest());
    assertTrue(options("--schedule", "paper", "--keep-best").keepBest());
  }
}
