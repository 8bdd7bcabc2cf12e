package dev.srtune.tune;

import dev.srtune.graph.degradation.Degradation;
import dev.srtune.report.RunReport;
import dev.srtune.tune.loss.LossTerm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code report.json} ({@link RunReport}) records of a run: the contract fields and the LR metrics from its
 * {@link FineTuneResult}, the hyper-parameters from its {@link FineTuneOptions} and {@link SessionSettings} (or a
 * baseline's own settings), and the curve from its {@link IterationRecord}s.
 */
public final class RunReports {
  private RunReports() {}

  /**
   * The report of a fine-tuning run whose session ran in {@code ran} ({@code choice}: why --precision auto chose it,
   * or null).
   */
  public static RunReport fineTune(FineTuneResult r, FineTuneOptions o, SessionSettings session,
      dev.srtune.model.Precision ran, String choice) {
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("schedule", o.name());
    hp.put("sampling", (r.plan() != null ? r.plan().sampler() : o.sampler()).spec());
    hp.put("optimizer", o.optimizer().spec());
    RunPlan plan = r.plan() != null ? r.plan() : RunPlan.of(o, o.sampler());
    hp.put("learning_rate", plan.schedule().base());
    hp.put("learning_rate_schedule", plan.schedule().spec());
    hp.put("momentum", Double.isNaN(o.momentum()) ? null : o.momentum());
    hp.put("measure_every", plan.measureEvery());
    hp.put("precision", ran.spec());
    if (choice != null) {
      hp.put("precision_choice", choice);
    }
    hp.put("whole_image_passes", session.passes().spec());
    hp.put("max_iterations", plan.maxIterations());
    hp.put("stop_rule", plan.stopRule().describe());
    hp.put("keep_best", o.keepBest());
    hp.put("backtracking", o.keepBest() ? "on a whole-image LR-PSNR below the start: best weights back, moments "
        + "zeroed, rate x" + Backtracking.FACTOR + ", at most " + Backtracking.MAX_BACKTRACKS + " times" : "off");
    hp.put("time_budget_seconds", o.timeBudget() == null ? null : o.timeBudget().toMillis() / 1e3);
    if (plan.planned()) {
      hp.put("plan", plan.report());
    }
    hp.put("loss", "mean squared error of A(f(y)) vs y over LR pixels and channels"
        + (o.sampler().lossMargin() > 0 ? ", " + o.sampler().lossMargin() + " pixels in from each window border" : ""));
    hp.put("loss_terms", o.lossTerms().stream().map(LossTerm::describe).toList());
    hp.put("train_layers", plan.trainLayers().spec());
    return started(r).provenance("finetune", o.operator().spec(), o.operator().scale(), hp);
  }

  /**
   * The report of a baseline ({@code zssr}, {@code dip}): the same contract fields, then the method, the operator
   * and the method's settings as {@code hyper_parameters}.
   */
  public static RunReport baseline(FineTuneResult r, String method, Degradation operator,
      Map<String, Object> settings) {
    return started(r).provenance(method, operator.spec(), operator.scale(), settings);
  }

  private static RunReport started(FineTuneResult r) {
    RunReport report = new RunReport(r.iterations(), r.stopReason(), r.finalRecord().iteration(), r.seconds(),
        r.secondsPerIteration());
    report.putHr("lr_psnr", r.startRecord().lrPsnr(), r.finalRecord().lrPsnr());
    if (!r.backtracks().isEmpty()) {
      report.put("backtracked_at", r.backtracks());
    }
    for (String m : r.finalRecord().metrics().keySet()) {
      report.putHr(m, r.startRecord().metric(m), r.finalRecord().metric(m));
    }
    return report;
  }

  /** The curve's rows; {@code hr} maps iteration → HR-PSNR where it was measured. */
  public static List<RunReport.CurveRow> curve(List<IterationRecord> curve, Map<Integer, Double> hr) {
    return curve.stream().map(rec -> new RunReport.CurveRow(rec.iteration(), rec.loss(), rec.lrPsnr(), rec.metrics(),
        hr.get(rec.iteration()), rec.elapsedSeconds())).toList();
  }
}
