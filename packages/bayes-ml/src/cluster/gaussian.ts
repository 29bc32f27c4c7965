import { cholesky } from '@astro/core/linalg';

/** Cholesky factor Σ = L Lᵀ of a d×d covariance and ln|Σ|, for Gaussian log-densities. */
export interface GaussianFactor {
  L: Float64Array;
  logDet: number;
  d: number;
}

/** Factor Σ (row-major d×d); throws NotPositiveDefiniteError if Σ is not positive definite. */
export function factorCovariance(cov: Float64Array, d: number): GaussianFactor {
  const f = cholesky(cov, d, { jitter: false, assumeFinite: true });
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(f.L[i * d + i]!);
  return { L: f.L, logDet, d };
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
