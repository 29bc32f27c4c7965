import { ValueError } from '@astro/core/errors';
import { quantileSorted } from './quantile.js';
import { Rng } from '@astro/core/random';

/** Accuracy with a percentile-bootstrap confidence interval. */
export interface AccuracyCI {
  /** Fraction correct in [0, 1]. */
  accuracy: number;
  /** Number of items. */
  n: number;
  /** Lower and upper ends of the interval. */
  lower: number;
  upper: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

/**
 * Accuracy of 0/1 outcomes with a seeded percentile-bootstrap interval (Efron & Tibshirani
 * 1993, §13.3): resample the n outcomes with replacement `resamples` times and take the
 * (1−level)/2 and (1+level)/2 quantiles of the resampled accuracies.
 * @throws {ValueError} on no outcomes (accuracy of nothing is undefined, as in scikit-learn), a
 *   level outside (0, 1), or `resamples` not a positive integer.
 */
export function accuracyWithCI(
  correct: readonly boolean[],
  options: { level?: number; resamples?: number; seed?: number } = {},
): AccuracyCI {
  const level = options.level ?? 0.95;
  const B = options.resamples ?? 2000;
  if (!(level > 0 && level < 1)) throw new ValueError(`level must be in (0, 1), got ${level}`);
  if (!Number.isSafeInteger(B) || B < 1) throw new ValueError(`resamples must be a positive integer, got ${B}`);
  if (!Array.isArray(correct)) throw new ValueError('accuracyWithCI: correct must be an array of booleans');
  const n = correct.length;
  if (n === 0) throw new ValueError('accuracyWithCI: no outcomes (0 items); accuracy is undefined');
  const x = correct.map((c) => (c ? 1 : 0));
  const k = x.reduce<number>((a, b) => a + b, 0);
  const rng = new Rng(options.seed ?? 0).fork('bootstrap');
  const stats = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[rng.below(n)]!;
    stats[b] = s / n;
  }
  stats.sort();
  const sorted = Array.from(stats);
  return {
    accuracy: k / n,
    n,
    lower: quantileSorted(sorted, (1 - level) / 2),
    upper: quantileSorted(sorted, (1 + level) / 2),
    level,
  };
}

/** Accuracy per topic (items without a topic are grouped under `'(none)'`), sorted by topic. */
export function perTopic(
  rows: readonly { topic?: string | undefined; correct: boolean }[],
  options: { level?: number; resamples?: number; seed?: number } = {},
): { topic: string; accuracy: AccuracyCI }[] {
  const groups = new Map<string, boolean[]>();
  for (const r of rows) {
    const t = r.topic ?? '(none)';
    let g = groups.get(t);
    if (!g) groups.set(t, (g = []));
    g.push(r.correct);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([topic, c]) => ({ topic, accuracy: accuracyWithCI(c, options) }));
}
