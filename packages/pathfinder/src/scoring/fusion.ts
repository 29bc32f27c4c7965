import { ValueError } from '@astro/core';

/** A ranked list of document ids, best first, with the retriever's scores (same length). */
export interface Ranking {
  ids: readonly string[];
  scores: ArrayLike<number>;
}

/** A fused result, sorted by `score` descending (ties: the id first seen in the earlier list). */
export interface Fused {
  ids: string[];
  scores: Float64Array;
}

function checkWeights(n: number, weights: readonly number[] | undefined, what: string): number[] {
  const w = weights ? [...weights] : new Array<number>(n).fill(1);
  if (w.length !== n) throw new ValueError(`${what}: ${w.length} weights for ${n} rankings`);
  w.forEach((x, i) => {
    if (!(Number.isFinite(x) && x >= 0)) throw new ValueError(`${what}: weight ${i} is ${x}; weights must be finite and ≥ 0`);
  });
  return w;
}

function sortFused(acc: Map<string, number>): Fused {
  const order = [...acc.entries()].map(([id, s], i) => ({ id, s, i }));
  order.sort((a, b) => b.s - a.s || a.i - b.i);
  return { ids: order.map((o) => o.id), scores: Float64Array.from(order.map((o) => o.s)) };
}

/**
 * Reciprocal-rank fusion (Cormack, Clarke & Büttcher 2009): score(d) = Σ_j w_j / (k + rank_j(d)),
 * ranks 1-based, summed over the lists that contain d. k = 60 as in the paper.
 */
export function reciprocalRankFusion(
  rankings: readonly (readonly string[])[],
  opts: { k?: number; weights?: readonly number[] } = {},
): Fused {
  const k = opts.k ?? 60;
  if (!(Number.isFinite(k) && k >= 0)) throw new ValueError(`reciprocalRankFusion: k must be finite and ≥ 0, got ${k}`);
  const w = checkWeights(rankings.length, opts.weights, 'reciprocalRankFusion');
  const acc = new Map<string, number>();
  rankings.forEach((ids, j) => {
    ids.forEach((id, r) => acc.set(id, (acc.get(id) ?? 0) + w[j]! / (k + r + 1)));
  });
  return sortFused(acc);
}

/**
 * Weighted score fusion (a convex combination, Fox & Shaw's CombSUM with weights): each list's
 * scores are min–max normalised to [0, 1] (a list whose scores are all equal maps to 1), then
 * score(d) = Σ_j w_j · s̃_j(d), a document absent from a list contributing 0 for it.
 */
export function weightedScoreFusion(rankings: readonly Ranking[], opts: { weights?: readonly number[] } = {}): Fused {
  const w = checkWeights(rankings.length, opts.weights, 'weightedScoreFusion');
  const acc = new Map<string, number>();
  rankings.forEach((r, j) => {
    if (r.ids.length !== r.scores.length)
      throw new ValueError(`weightedScoreFusion: ranking ${j} has ${r.ids.length} ids and ${r.scores.length} scores`);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < r.scores.length; i++) {
      const s = r.scores[i]!;
      if (!Number.isFinite(s)) throw new ValueError(`weightedScoreFusion: ranking ${j} score ${i} is ${s}`);
      lo = Math.min(lo, s);
      hi = Math.max(hi, s);
    }
    r.ids.forEach((id, i) => {
      const norm = hi > lo ? (r.scores[i]! - lo) / (hi - lo) : 1;
      acc.set(id, (acc.get(id) ?? 0) + w[j]! * norm);
    });
  });
  return sortFused(acc);
}

/** Ids ordered by descending value (ties keep input order). */
export function rankBy(ids: readonly string[], values: ArrayLike<number>): string[] {
  const o = ids.map((id, i) => ({ id, v: values[i]!, i }));
  o.sort((a, b) => b.v - a.v || a.i - b.i);
  return o.map((x) => x.id);
}
