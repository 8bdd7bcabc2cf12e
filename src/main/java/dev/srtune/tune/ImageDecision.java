package dev.srtune.tune;

import java.util.Map;

/**
 * What a per-image policy (--jpeg, --noise) decided for one LR image: the options to fine-tune it with, and what
 * report.json records of the decision.
 */
public record ImageDecision(FineTuneOptions options, Map<String, Object> report) {}
