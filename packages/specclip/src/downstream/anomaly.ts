import { ValueError } from '@astro/core';
import { topK, type MatrixLike } from '@astro/core/kernels';

/**
 * Anomaly score = cosine distance 1 − cos(q, c_k) to the k-th nearest corpus embedding
 * (through core's `topK`). With `excludeSelf` (queries are the corpus), the first neighbour
 * (the point itself) is skipped. Returns one score per query; larger is more anomalous.
 * @throws {ValueError} when k is not a positive integer.
 */
export async function kthNeighbourScore(
  queries: MatrixLike,
  corpus: MatrixLike,
  k: number,
  opts: { excludeSelf?: boolean } = {},
): Promise<Float32Array> {
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`kthNeighbourScore: k must be a positive integer, got ${k}`);
  const kk = opts.excludeSelf ? k + 1 : k;
  const r = await topK(queries, corpus, { k: kk, metric: 'cosine' });
  const out = new Float32Array(r.rows);
  for (let i = 0; i < r.rows; i++) out[i] = 1 - r.values[i * kk + kk - 1]!;
  return out;
}

/**
 * Per-spectrum reconstruction-error anomaly score: mean squared difference of x and x̂ [n, F]
 * over finite entries. @throws {ValueError} when `features` is not a positive integer, the lengths
 * differ, are zero or are not a multiple of F, or a row has no finite entry (it has no score).
 */
export function reconstructionScore(x: ArrayLike<number>, xHat: ArrayLike<number>, features: number): Float32Array {
  if (!Number.isInteger(features) || features < 1)
    throw new ValueError(`reconstructionScore: features must be a positive integer, got ${features}`);
  if (x.length !== xHat.length || x.length % features !== 0 || x.length === 0) {
    throw new ValueError(`reconstructionScore: lengths ${x.length} and ${xHat.length} must match and be positive multiples of ${features}`);
  }
  const n = x.length / features;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let c = 0;
    for (let j = 0; j < features; j++) {
      const d = x[i * features + j]! - xHat[i * features + j]!;
      if (Number.isFinite(d)) {
        s += d * d;
        c++;
      }
    }
    if (c === 0) throw new ValueError(`reconstructionScore: row ${i} has no finite entry in x − xHat`);
    out[i] = s / c;
  }
  return out;
}
