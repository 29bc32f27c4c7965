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
