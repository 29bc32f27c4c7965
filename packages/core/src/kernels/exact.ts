import type { DenseMatrix } from './matrix.js';
import type { TopKMetric } from './types.js';

/**
 * Final step of every path: recompute the metric of each query's candidates exactly in float64
 * from the float32 inputs, sort by (distance, index) — similarity descending for cosine — and
 * keep the first `k`. The fast paths select candidates in float32 (or with the
 * ‖q‖² + ‖c‖² − 2 q·c expansion, which cancels for near neighbours), so this makes the reported
 * values exact and the order exact among the candidates, for O(m·k·d) extra work.
 *
 * @param candidates corpus indices per query, `m × kc` (entries < 0 or ≥ n are ignored).
 */
export function rerankExact(
  queries: DenseMatrix,
  corpus: DenseMatrix,
  candidates: Int32Array,
  kc: number,
  k: number,
  metric: TopKMetric,
): { indices: Int32Array; values: Float32Array } {
  const m = queries.rows;
  const d = queries.cols;
  const n = corpus.rows;
  const Q = queries.data;
  const C = corpus.data;
  const indices = new Int32Array(m * k);
  const values = new Float32Array(m * k);
  const keys = new Float64Array(kc);
  const order: number[] = [];
  for (let i = 0; i < m; i++) {
    const qb = i * d;
    let qq = 0;
    if (metric === 'cosine') for (let t = 0; t < d; t++) qq += Q[qb + t]! * Q[qb + t]!;
    order.length = 0;
    for (let s = 0; s < kc; s++) {
      const j = candidates[i * kc + s]!;
      if (j < 0 || j >= n) continue;
      const cb = j * d;
      if (metric === 'sqeuclidean') {
        let acc = 0;
        for (let t = 0; t < d; t++) {
          const diff = Q[qb + t]! - C[cb + t]!;
          acc += diff * diff;
        }
        keys[s] = acc;
      } else {
        let dot = 0;
        let cc = 0;
        for (let t = 0; t < d; t++) {
          const c = C[cb + t]!;
          dot += Q[qb + t]! * c;
          cc += c * c;
        }
        keys[s] = -dot / Math.sqrt(qq * cc);
      }
      order.push(s);
    }
    if (order.length < k) throw new Error(`internal: query ${i} has ${order.length} candidates, needs ${k}`);
    order.sort((a, b) => keys[a]! - keys[b]! || candidates[i * kc + a]! - candidates[i * kc + b]!);
    for (let r = 0; r < k; r++) {
      const s = order[r]!;
      indices[i * k + r] = candidates[i * kc + s]!;
      values[i * k + r] = metric === 'cosine' ? -keys[s]! : keys[s]!;
    }
  }
  return { indices, values };
}
