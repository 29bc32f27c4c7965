import * as tf from '@tensorflow/tfjs-core';
import { RunningTopK } from './select.js';
import type { TopKKernel, TopKProblem } from './types.js';

/** Extra candidates kept per query to absorb float32 rounding before the exact re-rank. */
const PAD = 8;

/**
 * tfjs kernel: for each corpus tile, one `tf.matMul(C_tile, Qᵀ)` on the active backend (on wasm
 * that is XNNPACK's SIMD GEMM) gives the `tileRows × m` dot products, which are read back and
 * scanned by a running top-k. Only one tile of dot products exists at a time. The dot products
 * are float32, so the kernel keeps k + 8 candidates and lets the exact float64 re-rank decide.
 */
export const matmulKernel: TopKKernel = {
  name: 'matmul',
  description: 'tf.matMul per corpus tile on the active tfjs backend (XNNPACK on wasm) + running top-k scan',
  available: (backend) => backend === 'wasm' || backend === 'cpu' || backend === 'webgpu',
  // ~4 M dot products per tile keeps the read-back buffer at 16 MB.
  defaultTileRows: ({ m }) => Math.max(256, Math.min(65536, Math.floor((4 << 20) / Math.max(1, m)))),
  async run(p: TopKProblem) {
    const { queries, corpus, k, metric, tileRows, corpusSqNorms } = p;
    const m = queries.rows;
    const n = corpus.rows;
    const d = queries.cols;
    const kc = Math.min(n, k + PAD);
    const top = new RunningTopK(m, kc);
    const cos = metric === 'cosine';
    // key = base[j] + scale[j]·(q·c): ‖c‖² − 2 q·c, or −q·c/‖c‖ for cosine.
    const base = cos ? new Float64Array(n) : corpusSqNorms;
    const scale = new Float64Array(n);
    for (let j = 0; j < n; j++) scale[j] = cos ? -1 / Math.sqrt(corpusSqNorms[j]!) : -2;
    // Qᵀ is the constant operand: tfjs-wasm hands it to XNNPACK as the packed "weights" of a fully
    // connected op, so each tile is a plain C_tile · Qᵀ GEMM. (A transposed-B matMul takes a slow
    // path on wasm: ~10× slower in bench/kernels.bench.ts.)
    const qT = tf.tidy(() => tf.transpose(tf.tensor2d(queries.data, [m, d])));
    const worst = new Float64Array(m).fill(Infinity);
    try {
      for (let j0 = 0; j0 < n; j0 += tileRows) {
        const j1 = Math.min(n, j0 + tileRows);
        const rows = j1 - j0;
        const dots = tf.tidy(() => tf.matMul(tf.tensor2d(corpus.data.subarray(j0 * d, j1 * d), [rows, d]), qT));
        const s = (await dots.data()) as Float32Array;
        dots.dispose();
        // Row r of the tile holds q_i · c_j for every query i: scan it against each query's worst.
        for (let r = 0; r < rows; r++) {
          const j = j0 + r;
          const b = base[j]!;
          const sc = scale[j]!;
          const off = r * m;
          for (let i = 0; i < m; i++) {
            const key = b + sc * s[off + i]!;
            if (key < worst[i]!) {
              top.push(i, key, j);
              worst[i] = top.worst(i);
            }
          }
        }
      }
    } finally {
      qT.dispose();
    }
    return { candidates: top.indices, kc };
  },
};
