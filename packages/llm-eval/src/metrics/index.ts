/** Metrics: accuracy with bootstrap CIs, calibration, Brier, cost, latency, agreement. */
export { quantile, quantileSorted, latencySummary, type LatencySummary } from './quantile.js';
export { accuracyWithCI, perTopic, type AccuracyCI } from './accuracy.js';
export {
  reliabilityBins,
  expectedCalibrationError,
  brierScore,
  confidenceBrier,
  pearson,
  type ReliabilityBin,
  type Binning,
} from './calibration.js';
export { runCost, type Price, type Usage, type CostSummary } from './cost.js';
export { cohenKappa, fleissKappa, unanimity } from './agreement.js';
export { computeMetrics, type RunMetrics, type CalibrationSummary, type MetricsOptions } from './summary.js';
