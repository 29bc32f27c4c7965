import { ShapeError, ValueError } from '@astro/core';
import { topK } from '@astro/core/kernels';
import { gridZ, normalizePdfs, type PdfSet, type ZGrid } from '../pdf/grid.js';

/** Neighbour lists: `indices[i*k + r]` is the r-th nearest training galaxy of query i. */
export interface Neighbours {
  indices: Int32Array;
  k: number;
  rows: number;
}

/**
 * k nearest training galaxies of each query by squared Euclidean distance, through core's
 * `topK` kernel (WGSL on webgpu, tiled matmul/blocked loops on wasm and cpu).
 * With `excludeSelf`, queries are the training set itself and each galaxy's own row is removed
 * (leave-one-out), so k + 1 neighbours are searched.
 */
export async function neighbours(
  queries: Float32Array,
  corpus: Float32Array,
  d: number,
  k: number,
  excludeSelf = false,
): Promise<Neighbours> {
  if (queries.length % d !== 0 || corpus.length % d !== 0) throw new ShapeError(`neighbours: arrays are not multiples of d = ${d}`);
  const m = queries.length / d;
  const kk = excludeSelf ? k + 1 : k;
  const r = await topK({ data: queries, rows: m, cols: d }, { data: corpus, rows: corpus.length / d, cols: d }, { k: kk });
  if (!excludeSelf) return { indices: r.indices, k, rows: m };
  const out = new Int32Array(m * k);
  for (let i = 0; i < m; i++) {
    let w = 0;
    for (let j = 0; j < kk && w < k; j++) {
      const idx = r.indices[i * kk + j]!;
      if (idx !== i) out[i * k + w++] = idx;
    }
  }
  return { indices: out, k, rows: m };
}

/**
 * PDFs from neighbours' spectroscopic redshifts: for query i with neighbours N_i (first `k` of the
 * list), p_i(z) ∝ Σ_{n∈N_i} 𝒩(z; z_n, (bandwidth·(1+z_n))²) on the grid — a Gaussian kernel density
 * of the neighbours' redshifts (the plain KNN PDF of the CLAP paper).
 * @param k use the first k neighbours of each list (≤ nb.k); an array gives k per query.
 * @param bandwidth kernel width in Δz/(1+z) (default 0.01).
 */
export function knnPdfs(nb: Neighbours, zTrain: ArrayLike<number>, grid: ZGrid, k: number | Int32Array = nb.k, bandwidth = 0.01): PdfSet {
  if (!(bandwidth > 0)) throw new ValueError(`knnPdfs: bandwidth must be > 0, got ${bandwidth}`);
  const G = grid.n;
  const p = new Float64Array(nb.rows * G);
  for (let i = 0; i < nb.rows; i++) {
    const ki = typeof k === 'number' ? k : k[i]!;
    if (!(ki >= 1 && ki <= nb.k)) throw new ValueError(`knnPdfs: k = ${ki} for query ${i} is outside [1, ${nb.k}]`);
    const o = i * G;
    for (let r = 0; r < ki; r++) {
      const zn = zTrain[nb.indices[i * nb.k + r]!]!;
      const s = bandwidth * (1 + zn);
      const j0 = Math.max(0, Math.floor((zn - 6 * s - grid.zMin) / grid.dz));
      const j1 = Math.min(G - 1, Math.ceil((zn + 6 * s - grid.zMin) / grid.dz));
      for (let j = j0; j <= j1; j++) {
        const t = (gridZ(grid, j) - zn) / s;
        p[o + j]! += Math.exp(-0.5 * t * t) / s;
      }
    }
  }
  return normalizePdfs(grid, p);
}
