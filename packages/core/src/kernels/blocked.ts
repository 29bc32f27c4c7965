import { RunningTopK } from './select.js';
import type { TopKKernel, TopKProblem } from './types.js';

/** Queries handled together: each corpus value loaded once feeds four dot products. */
const QUERY_BLOCK = 4;

/**
 * Blocked CPU kernel in plain TypeScript: for each corpus tile (sized to stay in cache) and each
 * block of four queries, accumulate the four dot products q·c in float64 and offer the keys
 * ‖c‖² − 2 q·c (sqeuclidean; ‖q‖² is constant per query) or −q·c / ‖c‖ (cosine) to a running
 * top-k. Runs on any backend and needs no tfjs at all; float64 accumulation makes its selection
 * exact up to ties, so it keeps exactly k candidates.
 */
export const blockedKernel: TopKKernel = {
  name: 'blocked',
  description: 'TypeScript loops over Float32Array, 4-query register blocking, cache-sized corpus tiles, float64 accumulation',
  available: () => true,
  defaultTileRows: ({ d }) => Math.max(64, Math.floor((128 * 1024) / (4 * Math.max(1, d)))),
  async run(p: TopKProblem) {
    const { queries, corpus, k, metric, tileRows, corpusSqNorms } = p;
    const m = queries.rows;
    const n = corpus.rows;
    const d = queries.cols;
    const Q = queries.data;
    const C = corpus.data;
    const top = new RunningTopK(m, k);
    const cos = metric === 'cosine';
    const scale = new Float64Array(n);
    for (let j = 0; j < n; j++) scale[j] = cos ? -1 / Math.sqrt(corpusSqNorms[j]!) : -2;
    for (let j0 = 0; j0 < n; j0 += tileRows) {
      const j1 = Math.min(n, j0 + tileRows);
      let i = 0;
      for (; i + QUERY_BLOCK <= m; i += QUERY_BLOCK) {
        const q0 = i * d;
        const q1 = q0 + d;
        const q2 = q1 + d;
        const q3 = q2 + d;
        let w0 = top.worst(i);
        let w1 = top.worst(i + 1);
        let w2 = top.worst(i + 2);
        let w3 = top.worst(i + 3);
        for (let j = j0; j < j1; j++) {
          const cb = j * d;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let t = 0; t < d; t++) {
            const c = C[cb + t]!;
            s0 += Q[q0 + t]! * c;
            s1 += Q[q1 + t]! * c;
            s2 += Q[q2 + t]! * c;
            s3 += Q[q3 + t]! * c;
          }
          const sc = scale[j]!;
          const base = cos ? 0 : corpusSqNorms[j]!;
          const k0 = base + sc * s0;
          const k1 = base + sc * s1;
          const k2 = base + sc * s2;
          const k3 = base + sc * s3;
          // Indices arrive in increasing order, so an equal key never displaces a kept one.
          if (k0 < w0) (top.push(i, k0, j), (w0 = top.worst(i)));
          if (k1 < w1) (top.push(i + 1, k1, j), (w1 = top.worst(i + 1)));
          if (k2 < w2) (top.push(i + 2, k2, j), (w2 = top.worst(i + 2)));
          if (k3 < w3) (top.push(i + 3, k3, j), (w3 = top.worst(i + 3)));
        }
      }
      for (; i < m; i++) {
        const q0 = i * d;
        let w = top.worst(i);
        for (let j = j0; j < j1; j++) {
          const cb = j * d;
          let s = 0;
          for (let t = 0; t < d; t++) s += Q[q0 + t]! * C[cb + t]!;
          const key = (cos ? 0 : corpusSqNorms[j]!) + scale[j]! * s;
          if (key < w) (top.push(i, key, j), (w = top.worst(i)));
        }
      }
    }
    return { candidates: top.indices, kc: k };
  },
};
