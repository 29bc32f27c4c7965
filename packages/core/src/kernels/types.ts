import type { DenseMatrix } from './matrix.js';

/**
 * Metric of a nearest-neighbour search.
 * - `'sqeuclidean'`: ‖q − c‖², smallest first.
 * - `'cosine'`: q·c / (‖q‖ ‖c‖), largest first (cosine similarity, not distance).
 */
export type TopKMetric = 'sqeuclidean' | 'cosine';

/** Result of {@link topK}: row-major `rows × k` arrays, each row sorted best-first. */
export interface TopKResult {
  /** Corpus row indices of the neighbours, `rows × k`; ties go to the lower index. */
  indices: Int32Array;
  /** Squared distances (ascending) or cosine similarities (descending), `rows × k`, float64-exact rounded to float32. */
  values: Float32Array;
  /** Number of queries m. */
  rows: number;
  /** Neighbours per query. */
  k: number;
  metric: TopKMetric;
  /** Name of the kernel that ran (e.g. `'wgsl'`, `'blocked'`, `'matmul'`). */
  kernel: string;
}

/** Fully resolved inputs a {@link TopKKernel} receives (already validated). */
export interface TopKProblem {
  queries: DenseMatrix;
  corpus: DenseMatrix;
  /** Neighbours wanted per query (1 ≤ k ≤ n). */
  k: number;
  metric: TopKMetric;
  /** Corpus rows processed per tile (bounds memory: no m × n buffer is ever built). */
  tileRows: number;
  /** Squared norms of the corpus rows (float64), computed once by the caller. */
  corpusSqNorms: Float64Array;
  /** Squared norms of the query rows (float64). */
  querySqNorms: Float64Array;
}

/**
 * One implementation of pairwise-distance top-k. A kernel returns, per query, `kc ≥ k`
 * candidate corpus indices (`candidates`, `m × kc`); {@link topK} then re-ranks them exactly.
 */
export interface TopKKernel {
  /** Unique name, used to force this kernel (`topK(..., { kernel: name })`). */
  name: string;
  /** One line on how it works, for reports and benchmarks. */
  description: string;
  /** Whether it can run on the current tfjs backend (e.g. `'wgsl'` needs webgpu). */
  available(backend: string): boolean;
  /** Default corpus tile size for this kernel (rows). */
  defaultTileRows(problem: { m: number; n: number; d: number }): number;
  /** Select candidates. */
  run(problem: TopKProblem): Promise<{ candidates: Int32Array; kc: number }>;
}
