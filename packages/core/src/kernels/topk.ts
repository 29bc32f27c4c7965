import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, ValueError } from '../errors/index.js';
import { rerankExact } from './exact.js';
import { assertFiniteMatrix, rowSquaredNorms, toDense, type MatrixLike } from './matrix.js';
import { resolveTopKKernel } from './registry.js';
import type { TopKMetric, TopKResult } from './types.js';

/** Options of {@link topK}. */
export interface TopKOptions {
  /** Neighbours per query, 1 ≤ k ≤ corpus rows. */
  k: number;
  /** `'sqeuclidean'` (default): smallest ‖q − c‖² first; `'cosine'`: largest similarity first. */
  metric?: TopKMetric;
  /**
   * Corpus rows per tile. Memory is O(m·tileRows) at most (O(tileRows·d) for the GPU kernel);
   * the default depends on the kernel. An m × n matrix is never built.
   */
  tileRows?: number;
  /** Force a kernel by name (`'wgsl'`, `'matmul'`, `'blocked'`, or one registered by the user). */
  kernel?: string;
  /** Scan inputs for NaN/±Inf first (default true; costs one pass over the corpus). */
  checkFinite?: boolean;
}

/**
 * k nearest neighbours of each query among the corpus rows, by squared Euclidean distance or
 * cosine similarity: the engine of KNN photo-z and spectral similarity search.
 *
 * Dispatches on the active tfjs backend to a registered kernel (webgpu → WGSL compute shader;
 * wasm → tf.matMul tiles + scan, or blocked TypeScript loops for short vectors; cpu → blocked
 * loops; see `topKKernels()`), which
 * streams the corpus in tiles while keeping a running top-k per query. The candidates are then
 * re-ranked with the metric recomputed in float64, so `values` are exact (rounded to float32)
 * and every path returns the same answer: rows sorted best-first, ties to the lower index.
 *
 * ```ts
 * const { indices, values } = await topK(queries, corpus, { k: 10, metric: 'cosine' });
 * // neighbour r of query i: indices[i * 10 + r], similarity values[i * 10 + r]
 * ```
 * @param queries m × d query vectors.
 * @param corpus n × d corpus vectors.
 * @throws {ShapeError} if the dimensions differ or an input is empty or not 2-D.
 * @throws {ValueError} if k is not an integer in [1, n], an input holds NaN/±Inf, a cosine
 *   input has a zero vector, or a forced kernel is unknown or unavailable.
 */
export async function topK(queries: MatrixLike, corpus: MatrixLike, opts: TopKOptions): Promise<TopKResult> {
  const metric = opts.metric ?? 'sqeuclidean';
  if (metric !== 'sqeuclidean' && metric !== 'cosine') {
    throw new ValueError(`topK: unknown metric '${String(metric)}' (expected 'sqeuclidean' or 'cosine')`);
  }
  const Q = await toDense(queries, 'topK: queries');
  const C = await toDense(corpus, 'topK: corpus');
  if (C.rows === 0) throw new ShapeError('topK: the corpus is empty');
  if (Q.cols !== C.cols) {
    throw new ShapeError(`topK: queries have dimension ${Q.cols} but corpus rows have dimension ${C.cols}`);
  }
  if (Q.cols === 0) throw new ShapeError('topK: vectors have dimension 0');
  const k = opts.k;
  if (!Number.isInteger(k) || k < 1 || k > C.rows) {
    throw new ValueError(`topK: k must be an integer in [1, ${C.rows}] (the corpus size), got ${k}`);
  }
  if (opts.tileRows !== undefined && (!Number.isInteger(opts.tileRows) || opts.tileRows < 1)) {
    throw new ValueError(`topK: tileRows must be a positive integer, got ${opts.tileRows}`);
  }
  if (opts.checkFinite ?? true) {
    assertFiniteMatrix(Q, 'topK: queries');
    assertFiniteMatrix(C, 'topK: corpus');
  }
  const querySqNorms = rowSquaredNorms(Q);
  const corpusSqNorms = rowSquaredNorms(C);
  if (metric === 'cosine') {
    const zq = querySqNorms.indexOf(0);
    if (zq >= 0) throw new ValueError(`topK: query ${zq} is the zero vector; cosine similarity is undefined`);
    const zc = corpusSqNorms.indexOf(0);
    if (zc >= 0) throw new ValueError(`topK: corpus row ${zc} is the zero vector; cosine similarity is undefined`);
  }
  const kernel = resolveTopKKernel(tf.getBackend(), { m: Q.rows, n: C.rows, d: C.cols, k }, opts.kernel);
  const empty = { indices: new Int32Array(0), values: new Float32Array(0), rows: 0, k, metric, kernel: kernel.name };
  if (Q.rows === 0) return empty;
  const tileRows = opts.tileRows ?? kernel.defaultTileRows({ m: Q.rows, n: C.rows, d: C.cols });
  const { candidates, kc } = await kernel.run({ queries: Q, corpus: C, k, metric, tileRows, corpusSqNorms, querySqNorms });
  const { indices, values } = rerankExact(Q, C, candidates, kc, k, metric);
  return { indices, values, rows: Q.rows, k, metric, kernel: kernel.name };
}
