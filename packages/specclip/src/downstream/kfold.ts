import { ValueError } from '@astro/core';

/** One fold of {@link kFold}: row indices for training and for testing. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/**
 * k-fold cross-validation splits of n rows: row i is tested in fold i mod k (deterministic, so a
 * Python reference reproduces the same folds). @throws {ValueError} unless 2 ≤ k ≤ n.
 */
export function kFold(n: number, k: number): Fold[] {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 2 || k > n)
    throw new ValueError(`kFold: need integers 2 ≤ k ≤ n, got k=${k}, n=${n}`);
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < n; i++) (i % k === f ? test : train).push(i);
    folds.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return folds;
}

/** Rows `rows` of a row-major [n, width] array, as a new Float64Array [rows.length, width]. */
export function takeRows(x: ArrayLike<number>, width: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    for (let j = 0; j < width; j++) out[r * width + j] = x[i * width + j]!;
  }
  return out;
}
