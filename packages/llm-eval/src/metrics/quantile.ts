import { ValueError } from '@astro/core/errors';

/**
 * Quantile `q ∈ [0, 1]` of `values` with linear interpolation between order statistics
 * (Hyndman & Fan type 7, NumPy's default `np.percentile(..., method='linear')`).
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new ValueError('quantile of an empty list');
  if (!(q >= 0 && q <= 1)) throw new ValueError(`quantile q must be in [0, 1], got ${q}`);
  const s = [...values].sort((a, b) => a - b);
  return quantileSorted(s, q);
}

/** {@link quantile} of an already ascending-sorted list. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo]!;
  return a + (h - lo) * (sorted[hi]! - a);
}

/** Latency summary in milliseconds: mean and percentiles p50, p90, p95, p99, max. */
export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Summarise request latencies (ms) with {@link quantile} percentiles. */
export function latencySummary(latenciesMs: readonly number[]): LatencySummary {
  if (latenciesMs.length === 0) return { count: 0, meanMs: NaN, p50Ms: NaN, p90Ms: NaN, p95Ms: NaN, p99Ms: NaN, maxMs: NaN };
  const s = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: s.length,
    meanMs: s.reduce((a, b) => a + b, 0) / s.length,
    p50Ms: quantileSorted(s, 0.5),
    p90Ms: quantileSorted(s, 0.9),
    p95Ms: quantileSorted(s, 0.95),
    p99Ms: quantileSorted(s, 0.99),
    maxMs: s[s.length - 1]!,
  };
}
