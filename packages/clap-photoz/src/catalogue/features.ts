import { ShapeError, ValueError } from '@astro/core';
import type { Photometry } from './photometry.js';

/** Number of photometric features: 4 colours (u−g, g−r, r−i, i−z) and the r magnitude. */
export const N_FEATURES = 5;

/** Names of the {@link N_FEATURES} feature columns, in order (all in mag). */
export const FEATURE_NAMES = ['u-g', 'g-r', 'r-i', 'i-z', 'r'] as const;

/**
 * Photometric features of each galaxy, n × 5 row-major: the colours u−g, g−r, r−i, i−z (mag) and
 * the r magnitude (mag). Optional `mag` overrides the catalogue's magnitudes (a noise re-draw).
 */
export function colourFeatures(cat: Photometry, mag: Float64Array = cat.mag): Float64Array {
  if (mag.length !== cat.n * 5) throw new ShapeError(`colourFeatures: magnitudes have length ${mag.length}, expected ${cat.n * 5}`);
  for (let i = 0; i < mag.length; i++) {
    if (!Number.isFinite(mag[i]!))
      throw new ValueError(`colourFeatures: galaxy ${Math.floor(i / 5)} has magnitude ${mag[i]} in band ${'ugriz'[i % 5]}`);
  }
  const f = new Float64Array(cat.n * N_FEATURES);
  for (let i = 0; i < cat.n; i++) {
    const m = i * 5;
    for (let b = 0; b < 4; b++) f[i * N_FEATURES + b] = mag[m + b]! - mag[m + b + 1]!;
    f[i * N_FEATURES + 4] = mag[m + 2]!;
  }
  return f;
}

/** Per-column mean and standard deviation used to standardise features. */
export interface Standardizer {
  mean: number[];
  std: number[];
}

/**
 * Column means and standard deviations (population, ddof = 0, as scikit-learn's `StandardScaler`) of an
 * n × d row-major matrix; std floored at 1e-12. `d` must be a positive integer, `x` a non-empty whole
 * number of rows of finite values: anything else is a `ShapeError` / `ValueError` naming the argument.
 */
export function fitStandardizer(x: Float64Array, d: number): Standardizer {
  if (!Number.isInteger(d) || d < 1) throw new ValueError(`fitStandardizer: d (columns) must be a positive integer, got ${d}`);
  if (x.length === 0) throw new ShapeError('fitStandardizer: x is empty (0 rows); at least one row is needed');
  if (x.length % d !== 0) throw new ShapeError(`fitStandardizer: x has length ${x.length}, not a multiple of d = ${d}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) throw new ValueError(`fitStandardizer: x holds ${x[i]} at row ${Math.floor(i / d)}, column ${i % d}`);
  }
  const n = x.length / d;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]! / n;
  // σ = s · sqrt(Σ((x − μ)/s)²/n) with s = max|x − μ|, so values near the float64 limit do not overflow
  const scale = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scale[j] = Math.max(scale[j]!, Math.abs(x[i * d + j]! - mean[j]!));
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) if (scale[j]! > 0) std[j]! += ((x[i * d + j]! - mean[j]!) / scale[j]!) ** 2 / n;
  const out = std.map((v, j) => Math.max(scale[j]! * Math.sqrt(v), 1e-12));
  const bad = [...mean, ...out].findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ValueError(`fitStandardizer: column ${bad % d} overflows float64 (|x| too large)`);
  return { mean, std: out };
}

/** (x − mean)/std column-wise, as Float32Array (the tensor dtype). */
export function standardize(x: Float64Array, s: Standardizer): Float32Array {
  const d = s.mean.length;
  if (d === 0 || s.std.length !== d) throw new ShapeError(`standardize: standardizer has ${d} means and ${s.std.length} stds`);
  if (x.length % d !== 0) throw new ShapeError(`standardize: x has length ${x.length}, not a multiple of the standardizer's ${d} columns`);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - s.mean[i % d]!) / s.std[i % d]!;
  return out;
}
