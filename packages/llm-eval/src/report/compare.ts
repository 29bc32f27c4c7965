import { quantileSorted } from '../metrics/quantile.js';
import { Rng } from '@astro/core/random';
import type { LoadedRun } from './load.js';

/** Paired comparison of two runs on the items both evaluated. */
export interface PairedDifference {
  a: string;
  b: string;
  /** Items in common. */
  n: number;
  /** accuracy(b) − accuracy(a) on the common items. */
  difference: number;
  /** 95% paired-bootstrap interval of the difference (items resampled jointly). */
  lower: number;
  upper: number;
  /** Items only a got right, and only b got right (McNemar's discordant pairs). */
  onlyA: number;
  onlyB: number;
}

/**
 * Paired bootstrap of the accuracy difference between two runs over their common item ids
 * (resampling items, not runs, so item difficulty cancels; Efron & Tibshirani 1993).
 */
export function pairedDifference(a: LoadedRun, b: LoadedRun, options: { resamples?: number; seed?: number } = {}): PairedDifference {
  const bById = new Map(b.results.map((r) => [r.id, r.correct]));
  const pairs = a.results.filter((r) => bById.has(r.id)).map((r) => [r.correct ? 1 : 0, bById.get(r.id) ? 1 : 0] as const);
  const n = pairs.length;
  const name = (r: LoadedRun): string => `${r.manifest.model.name} (${r.manifest.scoring})`;
  if (n === 0) return { a: name(a), b: name(b), n: 0, difference: NaN, lower: NaN, upper: NaN, onlyA: 0, onlyB: 0 };
  const diff = (idx: (i: number) => number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const p = pairs[idx(i)]!;
      s += p[1] - p[0];
    }
    return s / n;
  };
  const B = options.resamples ?? 2000;
  const rng = new Rng(options.seed ?? 0).fork('bootstrap');
  const stats = new Float64Array(B);
  for (let k = 0; k < B; k++) stats[k] = diff(() => rng.below(n));
  stats.sort();
  const s = Array.from(stats);
  return {
    a: name(a),
    b: name(b),
    n,
    difference: diff((i) => i),
    lower: quantileSorted(s, 0.025),
    upper: quantileSorted(s, 0.975),
    onlyA: pairs.filter(([x, y]) => x === 1 && y === 0).length,
    onlyB: pairs.filter(([x, y]) => x === 0 && y === 1).length,
  };
}
