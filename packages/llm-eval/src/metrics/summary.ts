import { ValueError } from '@astro/core/errors';
import type { ItemResult } from '../runner/types.js';
import { accuracyWithCI, perTopic, type AccuracyCI } from './accuracy.js';
import { brierScore, confidenceBrier, expectedCalibrationError, pearson, reliabilityBins, type ReliabilityBin } from './calibration.js';
import { runCost, type CostSummary, type Price } from './cost.js';
import { latencySummary, type LatencySummary } from './quantile.js';

/** Calibration metrics over items that carry option probabilities. */
export interface CalibrationSummary {
  /** Items with probabilities. */
  n: number;
  /** ECE with 10 equal-width bins. */
  eceEqualWidth: number;
  /** ECE with 10 equal-mass bins. */
  eceEqualMass: number;
  /** Multi-class Brier score over the options. */
  brier: number;
  /** Binary Brier of top-option confidence vs correctness. */
  confidenceBrier: number;
  /** Pearson correlation of confidence with correctness (per item). */
  confidenceCorrectnessCorrelation: number;
  /** Pearson correlation of bin mean confidence with bin accuracy (non-empty equal-mass bins). */
  binnedCorrelation: number;
  /** Mean probability mass the model put on the option letters (before renormalising). */
  meanLetterMass: number;
  /** Reliability diagram with equal-width bins. */
  reliability: ReliabilityBin[];
}

/** Metrics of a run, as written to `metrics.json`. */
export interface RunMetrics {
  n: number;
  /** Items with no answer (extraction failed or no probability mass). */
  unanswered: number;
  accuracy: AccuracyCI;
  /** `acc_norm` for log-likelihood scoring. */
  accuracyNorm?: AccuracyCI;
  perTopic: { topic: string; accuracy: AccuracyCI }[];
  calibration?: CalibrationSummary;
  cost: CostSummary;
  latency: LatencySummary;
  /** Extraction methods used and how often (extract scoring). */
  extraction?: Record<string, number>;
  /** Requests retried and items served from the cache. */
  retries: number;
  cached: number;
}

/** Options of {@link computeMetrics}. */
export interface MetricsOptions {
  /** Price of the model; omitted → cost in USD is NaN (token counts are still reported). */
  price?: Price;
  /** Bootstrap resamples (default 2000) and seed (default 0). */
  resamples?: number;
  seed?: number;
  /** Bins for calibration (default 10). */
  bins?: number;
}

/**
 * Compute accuracy (with bootstrap CI), per-topic accuracy, calibration, cost and latency.
 * @throws {ValueError} when there are no results (metrics of nothing are undefined).
 */
export function computeMetrics(results: readonly ItemResult[], options: MetricsOptions = {}): RunMetrics {
  if (results.length === 0) throw new ValueError('computeMetrics: no results (0 items evaluated)');
  const boot = { resamples: options.resamples ?? 2000, seed: options.seed ?? 0 };
  const correct = results.map((r) => r.correct);
  const accuracy = accuracyWithCI(correct, boot);
  const out: RunMetrics = {
    n: results.length,
    unanswered: results.filter((r) => r.predicted === null).length,
    accuracy,
    perTopic: perTopic(results, boot),
    cost: runCost(
      results.map((r) => r.usage),
      accuracy.accuracy,
      options.price,
    ),
    latency: latencySummary(results.filter((r) => !r.cached).map((r) => r.latencyMs)),
    retries: results.reduce((s, r) => s + Math.max(0, r.attempts - 1), 0),
    cached: results.filter((r) => r.cached).length,
  };
  const norm = results.filter((r) => r.predictedNorm !== undefined);
  if (norm.length === results.length && norm.length > 0) {
    out.accuracyNorm = accuracyWithCI(
      norm.map((r) => r.predictedNorm === r.answerIndex),
      boot,
    );
  }
  const withP = results.filter((r) => r.optionProbs !== undefined && r.confidence !== null);
  if (withP.length > 0) {
    const conf = withP.map((r) => r.confidence!);
    const ok = withP.map((r) => r.correct);
    const bins = options.bins ?? 10;
    const massBins = reliabilityBins(conf, ok, { bins, binning: 'equal-mass' }).filter((b) => b.count > 0);
    out.calibration = {
      n: withP.length,
      eceEqualWidth: expectedCalibrationError(conf, ok, { bins, binning: 'equal-width' }),
      eceEqualMass: expectedCalibrationError(conf, ok, { bins, binning: 'equal-mass' }),
      brier: brierScore(
        withP.map((r) => r.optionProbs!),
        withP.map((r) => r.answerIndex),
      ),
      confidenceBrier: confidenceBrier(conf, ok),
      confidenceCorrectnessCorrelation: pearson(
        conf,
        ok.map((c) => (c ? 1 : 0)),
      ),
      binnedCorrelation: pearson(
        massBins.map((b) => b.meanConfidence),
        massBins.map((b) => b.accuracy),
      ),
      meanLetterMass: withP.reduce((s, r) => s + (r.letterMass ?? 0), 0) / withP.length,
      reliability: reliabilityBins(conf, ok, { bins, binning: 'equal-width' }),
    };
  }
  const methods = results.filter((r) => r.extraction !== undefined);
  if (methods.length > 0) {
    out.extraction = {};
    for (const r of methods) out.extraction[r.extraction!] = (out.extraction[r.extraction!] ?? 0) + 1;
  }
  return out;
}
