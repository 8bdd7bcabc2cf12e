/** report.json and its provenance (model, operator, hyper-parameters, versions, timings, curve). */
package dev.srtune.report;
