import { ShapeError, ValueError } from '@astro/core';

/** Sorted distinct class labels and each sample's class index. */
export interface EncodedLabels {
  classes: number[];
  index: Int32Array;
}

/**
 * Encode integer (or any finite numeric) labels as indices into their sorted distinct values,
 * as scikit-learn's `LabelEncoder`. @throws ShapeError on a length mismatch; ValueError on
 * NaN/Inf or fewer than two classes.
 */
export function encodeLabels(y: ArrayLike<number>, n: number, what: string): EncodedLabels {
  if (y.length !== n) throw new ShapeError(`${what}: ${y.length} labels for ${n} samples`);
  const set = new Set<number>();
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) throw new ValueError(`${what}: label ${v} at index ${i} is not finite`);
    set.add(v);
  }
  const classes = [...set].sort((a, b) => a - b);
  if (classes.length < 2) throw new ValueError(`${what}: need at least two classes, got ${classes.length}`);
  const pos = new Map(classes.map((c, k) => [c, k]));
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = pos.get(y[i]!)!;
  return { classes, index };
}

/** Numerically safe logistic sigmoid 1 / (1 + e^{−a}). */
export function sigmoid(a: number): number {
  if (a >= 0) return 1 / (1 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1 + e);
}

/** ln(1 + e^{a}) without overflow. */
export function softplus(a: number): number {
  return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
}
