import { cholesky } from '@astro/core/linalg';

const LN2PI = Math.log(2 * Math.PI);

/**
 * Cholesky factor of a d×d covariance for repeated Gaussian log-density evaluations:
 * ln N(x | μ, Σ) = −½ [d ln 2π + ln|Σ| + ‖L⁻¹(x − μ)‖²].
 */
export interface GaussianFactor {
  L: Float64Array;
  logDet: number;
  d: number;
}

/** Factor Σ (row-major d×d) for {@link logGaussian}; throws NotPositiveDefiniteError if Σ is not SPD. */
export function factorCovariance(cov: Float64Array, d: number): GaussianFactor {
  const f = cholesky(cov, d, { jitter: false, assumeFinite: true });
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(f.L[i * d + i]!);
  return { L: f.L, logDet, d };
}

/** ln N(x | μ, Σ) for x = data[off … off+d), μ = mean[moff … moff+d); `z` is scratch of length d. */
export function logGaussian(
  data: Float64Array, off: number, mean: Float64Array, moff: number, f: GaussianFactor, z: Float64Array,
): number {
  const { L, d } = f;
  let maha = 0;
  for (let i = 0; i < d; i++) {
    let s = data[off + i]! - mean[moff + i]!;
    const row = i * d;
    for (let j = 0; j < i; j++) s -= L[row + j]! * z[j]!;
    const zi = s / L[row + i]!;
    z[i] = zi;
    maha += zi * zi;
  }
  return -0.5 * (d * LN2PI + f.logDet + maha);
}

/** log Σ exp(v) of a short array, stable. */
export function logSumExp(v: Float64Array, off: number, k: number): number {
  let m = -Infinity;
  for (let c = 0; c < k; c++) if (v[off + c]! > m) m = v[off + c]!;
  if (m === -Infinity) return m;
  let s = 0;
  for (let c = 0; c < k; c++) s += Math.exp(v[off + c]! - m);
  return m + Math.log(s);
}
