// Independent float64 brute force: every pairwise metric, full sort by (key, index).
import type { DenseMatrix, TopKMetric } from '@astro/core/kernels';

export interface Reference {
  indices: Int32Array;
  values: Float64Array;
  /** The (k+1)-th key per query, to recognise exact ties at the boundary. */
  next: Float64Array;
}

export function bruteForce(q: DenseMatrix, c: DenseMatrix, k: number, metric: TopKMetric): Reference {
  const d = q.cols;
  const indices = new Int32Array(q.rows * k);
  const values = new Float64Array(q.rows * k);
  const next = new Float64Array(q.rows).fill(NaN);
  const val = new Float64Array(c.rows);
  const order = Array.from({ length: c.rows }, (_, j) => j);
  for (let i = 0; i < q.rows; i++) {
    for (let j = 0; j < c.rows; j++) {
      let dd = 0;
      let dot = 0;
      let qq = 0;
      let cc = 0;
      for (let t = 0; t < d; t++) {
        const a = q.data[i * d + t]!;
        const b = c.data[j * d + t]!;
        dd += (a - b) * (a - b);
        dot += a * b;
        qq += a * a;
        cc += b * b;
      }
      val[j] = metric === 'sqeuclidean' ? dd : dot / Math.sqrt(qq * cc);
    }
    const sign = metric === 'sqeuclidean' ? 1 : -1;
    order.sort((a, b) => sign * (val[a]! - val[b]!) || a - b);
    for (let r = 0; r < k; r++) {
      indices[i * k + r] = order[r]!;
      values[i * k + r] = val[order[r]!]!;
    }
    if (k < c.rows) next[i] = val[order[k]!]!;
  }
  return { indices, values, next };
}
