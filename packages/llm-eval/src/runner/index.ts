/** Runner: resumable, cached, rate-limited, retrying evaluation runs. */
export * from './types.js';
export { runEval, type RunOptions, type RunOutcome } from './run.js';
export { scoreItem, type ItemCaller, WHITESPACE_EXPANSION_THRESHOLD } from './score-item.js';
export { DiskCache, canonicalJson } from './cache.js';
export { ResultsLog, readResults } from './results-log.js';
export { withRetry, backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './retry.js';
export { RateLimiter, forEachConcurrent } from './limiter.js';
export { progressBar, type Progress } from './progress.js';
export { manifestFingerprint, sha256File, versions, type RunManifest } from './manifest.js';
