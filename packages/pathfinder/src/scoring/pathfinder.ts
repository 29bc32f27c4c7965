import { ValueError } from '@astro/core';

/**
 * Pathfinder's similarity from a distance: s = 1 / d, with a non-finite result (d = 0, an
 * exact duplicate of the query) set to 0, as Pathfinder does after `1/distances`.
 * Note the quirk this ports: a record identical to the query gets similarity 0.
 */
export function similarityFromDistance(distances: ArrayLike<number>): Float64Array {
  const s = new Float64Array(distances.length);
  for (let i = 0; i < distances.length; i++) {
    const d = distances[i]!;
    if (Number.isNaN(d) || d < 0) throw new ValueError(`similarityFromDistance: distance ${i} is ${d}; distances must be ≥ 0`);
    const v = 1 / d;
    s[i] = Number.isFinite(v) ? v : 0;
  }
  return s;
}

/**
 * Pathfinder's keyword weight: for record i, w = 0.1 + 0.1 × #{(q, r) : q a query keyword,
 * r a keyword of record i, q a substring of r}, divided by the largest w over the records.
 * Matching is case-insensitive (both sides lower-cased). With no query keywords every weight is 1.
 */
export function keywordWeights(queryKeywords: readonly string[], recordKeywords: readonly (readonly string[])[]): Float64Array {
  const q = queryKeywords.map((k) => k.toLowerCase());
  const w = new Float64Array(recordKeywords.length);
  let max = 0;
  recordKeywords.forEach((kws, i) => {
    let hits = 0;
    for (const r of kws) {
      const rl = r.toLowerCase();
      for (const k of q) if (rl.includes(k)) hits++;
    }
    w[i] = 0.1 + 0.1 * hits;
    if (w[i]! > max) max = w[i]!;
  });
  if (max > 0) for (let i = 0; i < w.length; i++) w[i] = w[i]! / max;
  return w;
}

/** Elementwise product of equally long factor arrays: Pathfinder's score = similarity × keyword × time × citation weight. */
export function productScore(...factors: ArrayLike<number>[]): Float64Array {
  const n = factors[0]?.length ?? 0;
  for (const [j, f] of factors.entries())
    if (f.length !== n) throw new ValueError(`productScore: factor ${j} has ${f.length} values, factor 0 has ${n}`);
  const out = new Float64Array(n).fill(1);
  for (const f of factors) for (let i = 0; i < n; i++) out[i] = out[i]! * f[i]!;
  return out;
}
