export { metricsFromRank, bootstrapMean, summarizeRanks, type QueryMetrics, type Estimate, type RetrievalSummary } from './metrics.js';
export {
  evaluateRetrieval,
  rankOwnRecords,
  taskQuery,
  type EvalTask,
  type EvalConfig,
  type EvaluateOptions,
  type EvaluationResult,
} from './run.js';
