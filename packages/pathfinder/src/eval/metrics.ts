import { Rng, ValueError } from '@astro/core';

/** Per-query retrieval metrics for one relevant document found at 1-based `rank` (Infinity when not retrieved). */
export interface QueryMetrics {
  recallAt1: number;
  recallAt10: number;
  /** Reciprocal rank (0 when not retrieved). */
  rr: number;
  /** nDCG@10 with one relevant document: 1/log2(rank + 1) when rank ≤ 10, else 0 (the ideal DCG is 1). */
  ndcgAt10: number;
}

/** Metrics of one query from the rank of its single relevant document. */
export function metricsFromRank(rank: number): QueryMetrics {
  if (!(rank >= 1)) throw new ValueError(`metricsFromRank: rank must be ≥ 1 (Infinity when not found), got ${rank}`);
  return {
    recallAt1: rank <= 1 ? 1 : 0,
    recallAt10: rank <= 10 ? 1 : 0,
    rr: Number.isFinite(rank) ? 1 / rank : 0,
    ndcgAt10: rank <= 10 ? 1 / Math.log2(rank + 1) : 0,
  };
}

/** A mean with its 95 % percentile-bootstrap interval. */
export interface Estimate {
  mean: number;
  lo: number;
  hi: number;
}

/**
 * Mean of per-query values with a 95 % percentile bootstrap interval (Efron & Tibshirani
 * 1993): `resamples` resamples of the queries with replacement, drawn from core's `Rng`.
 */
export function bootstrapMean(values: ArrayLike<number>, opts: { resamples?: number; seed?: number; level?: number } = {}): Estimate {
  const n = values.length;
  if (n === 0) throw new ValueError('bootstrapMean: no values');
  const B = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  const rng = new Rng(opts.seed ?? 0);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const means = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.below(n)]!;
    means[b] = s / n;
  }
  means.sort();
  const q = (p: number): number => means[Math.min(B - 1, Math.max(0, Math.floor(p * B)))]!;
  return { mean: sum / n, lo: q((1 - level) / 2), hi: q(1 - (1 - level) / 2) };
}

/** Summary of a retrieval run: each metric's mean and bootstrap interval. */
export interface RetrievalSummary {
  queries: number;
  recallAt1: Estimate;
  recallAt10: Estimate;
  mrr: Estimate;
  ndcgAt10: Estimate;
}

/** Summarise the ranks of the relevant documents of a set of queries. */
export function summarizeRanks(ranks: readonly number[], opts: { resamples?: number; seed?: number } = {}): RetrievalSummary {
  const m = ranks.map(metricsFromRank);
  const col = (k: keyof QueryMetrics): Float64Array => Float64Array.from(m.map((x) => x[k]));
  return {
    queries: ranks.length,
    recallAt1: bootstrapMean(col('recallAt1'), opts),
    recallAt10: bootstrapMean(col('recallAt10'), opts),
    mrr: bootstrapMean(col('rr'), opts),
    ndcgAt10: bootstrapMean(col('ndcgAt10'), opts),
  };
}
