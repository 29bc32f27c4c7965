/**
 * Ridge-regression heads on frozen embeddings (the linear-probe protocol of the
 * light-curve foundation-model studies): ŷ = (x − μ)/σ · w + b, closed form in float64.
 */
import { ShapeError, ValueError } from '@astro/core';
import { solve } from '@astro/core/linalg';

/** A fitted ridge head. */
export interface RidgeHead {
  mean: Float64Array;
  scale: Float64Array;
  weights: Float64Array;
  bias: number;
  alpha: number;
}

/**
 * Fit ridge regression y ≈ x·w + b on standardised features with penalty α‖w‖²
 * (x: [n × d] row-major; y: [n]). Throws `ShapeError` on mismatched sizes.
 */
export function fitRidge(x: ArrayLike<number>, y: ArrayLike<number>, d: number, alpha = 1): RidgeHead {
  const n = y.length;
  if (x.length !== n * d) throw new ShapeError(`fitRidge: x has ${x.length} values, expected ${n} × ${d}`);
  if (n < 2) throw new ValueError(`fitRidge: need at least 2 samples, got ${n}`);
  if (!(alpha >= 0)) throw new ValueError(`fitRidge: alpha must be ≥ 0, got ${alpha}`);
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scale[j]! += (x[i * d + j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]!) || 1;
  let ym = 0;
  for (let i = 0; i < n; i++) ym += y[i]! / n;
  const A = new Float64Array(d * d);
  const b = new Float64Array(d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) z[j] = (x[i * d + j]! - mean[j]!) / scale[j]!;
    for (let j = 0; j < d; j++) {
      b[j]! += z[j]! * (y[i]! - ym);
      for (let k = j; k < d; k++) A[j * d + k]! += z[j]! * z[k]!;
    }
  }
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < j; k++) A[j * d + k] = A[k * d + j]!;
    A[j * d + j]! += alpha;
  }
  return { mean, scale, weights: solve(A, d, d, b), bias: ym, alpha };
}

/** Predict with a ridge head: x [n × d] row-major → ŷ [n]. */
export function predictRidge(h: RidgeHead, x: ArrayLike<number>): Float64Array {
  const d = h.mean.length;
  if (x.length % d !== 0) throw new ShapeError(`predictRidge: ${x.length} values is not a multiple of d = ${d}`);
  const n = x.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = h.bias;
    for (let j = 0; j < d; j++) s += ((x[i * d + j]! - h.mean[j]!) / h.scale[j]!) * h.weights[j]!;
    out[i] = s;
  }
  return out;
}

/**
 * Choose the ridge penalty by k-fold cross-validation (contiguous folds, `folds` default
 * min(n, 5); with n ≤ folds this is leave-one-out): the α of `alphas` (default 10^−2 … 10^4)
 * with the lowest mean squared validation error, then {@link fitRidge} on all rows with it.
 * Standardisation is refitted inside every fold, so the choice does not see validation rows.
 */
export function fitRidgeCV(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  d: number,
  opts: { alphas?: readonly number[]; folds?: number } = {},
): RidgeHead & { cvError: number } {
  const n = y.length;
  if (x.length !== n * d) throw new ShapeError(`fitRidgeCV: x has ${x.length} values, expected ${n} × ${d}`);
  if (n < 3) throw new ValueError(`fitRidgeCV: need at least 3 samples for cross-validation, got ${n}`);
  const alphas = opts.alphas ?? [0.01, 0.1, 1, 10, 100, 1000, 10000];
  const k = Math.min(opts.folds ?? 5, n);
  if (!(Number.isInteger(k) && k >= 2)) throw new ValueError(`fitRidgeCV: folds must be an integer ≥ 2, got ${opts.folds}`);
  let best = alphas[0]!;
  let bestErr = Infinity;
  for (const alpha of alphas) {
    let se = 0;
    for (let f = 0; f < k; f++) {
      const lo = Math.floor((f * n) / k);
      const hi = Math.floor(((f + 1) * n) / k);
      const m = n - (hi - lo);
      const xt = new Float64Array(m * d);
      const yt = new Float64Array(m);
      let r = 0;
      for (let i = 0; i < n; i++) {
        if (i >= lo && i < hi) continue;
        for (let j = 0; j < d; j++) xt[r * d + j] = x[i * d + j]!;
        yt[r++] = y[i]!;
      }
      const h = fitRidge(xt, yt, d, alpha);
      const xv = new Float64Array((hi - lo) * d);
      for (let i = lo; i < hi; i++) for (let j = 0; j < d; j++) xv[(i - lo) * d + j] = x[i * d + j]!;
      const p = predictRidge(h, xv);
      for (let i = lo; i < hi; i++) se += (p[i - lo]! - y[i]!) ** 2;
    }
    if (se / n < bestErr) [best, bestErr] = [alpha, se / n];
  }
  return { ...fitRidge(x, y, d, best), cvError: bestErr };
}
