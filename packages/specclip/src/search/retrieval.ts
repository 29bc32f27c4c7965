import { ShapeError } from '@astro/core';
import { topK, type MatrixLike, type TopKResult } from '@astro/core/kernels';

/** Cross-instrument retrieval accuracy of {@link retrievalAccuracy}. */
export interface RetrievalScores {
  /** Fraction of queries whose own partner is the nearest corpus entry. */
  top1: number;
  /** Fraction whose partner is among the `k` nearest. */
  topK: number;
  k: number;
  /** Neighbours of each query (cosine, best first). */
  result: TopKResult;
}

/**
 * Search `corpus` [n, D] with `queries` [n, D] by cosine similarity through `@astro/core`'s
 * `topK` kernel (WGSL on WebGPU, blocked/matmul on wasm/CPU); query i's partner is corpus row i.
 * @throws {ShapeError} when the two sets differ in size.
 */
export async function retrievalAccuracy(queries: MatrixLike, corpus: MatrixLike, k: number): Promise<RetrievalScores> {
  const result = await topK(queries, corpus, { k, metric: 'cosine' });
  const n = result.rows;
  const cn = Array.isArray(corpus)
    ? corpus.length
    : 'rows' in corpus
      ? (corpus as { rows: number }).rows
      : (corpus as { shape: number[] }).shape[0];
  if (cn !== n) throw new ShapeError(`retrievalAccuracy: ${n} queries but ${String(cn)} corpus rows; pairs must align`);
  let h1 = 0;
  let hk = 0;
  for (let i = 0; i < n; i++) {
    const row = result.indices.subarray(i * k, (i + 1) * k);
    if (row[0] === i) h1++;
    if (row.includes(i)) hk++;
  }
  return { top1: h1 / n, topK: hk / n, k, result };
}
