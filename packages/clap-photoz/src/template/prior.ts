import { ValueError } from '@astro/core';
import { minimizeLbfgs, numericGradient } from '@astro/core/linalg';

/**
 * The BPZ redshift prior of one type class (Benítez 2000, eq. 23, with a log-linear
 * magnitude dependence so z_m stays positive):
 * p(z | m₀) = α z^α exp(−(z/z_m)^α) / (z_m^{α+1} Γ(1 + 1/α)),  z_m = z₀·exp(k_m (m₀ − m_ref)),
 * m₀ the observed r magnitude (AB). Normalised on [0, ∞).
 */
export interface RedshiftPrior {
  alpha: number;
  z0: number;
  km: number;
  /** Reference magnitude m_ref (default 17). */
  mRef: number;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; |error| < 1e-13). */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln p(z | m₀) of {@link RedshiftPrior} (−Infinity at z ≤ 0). */
export function logPrior(p: RedshiftPrior, z: number, m0: number): number {
  if (!(z > 0)) return -Infinity;
  const zm = p.z0 * Math.exp(p.km * (m0 - p.mRef));
  return Math.log(p.alpha) + p.alpha * Math.log(z) - (z / zm) ** p.alpha - (p.alpha + 1) * Math.log(zm) - lnGamma(1 + 1 / p.alpha);
}

/**
 * Maximum-likelihood fit of {@link RedshiftPrior} to spectroscopic redshifts and r magnitudes
 * (L-BFGS over ln α, ln z₀, k_m), as RAIL's BPZliteInformer calibrates BPZ priors on a training set.
 * @throws {ValueError} on fewer than 10 galaxies or non-positive redshifts.
 */
export function fitRedshiftPrior(z: ArrayLike<number>, m0: ArrayLike<number>, mRef = 17): RedshiftPrior {
  const n = z.length;
  if (n < 10 || m0.length !== n)
    throw new ValueError(`fitRedshiftPrior: need ≥ 10 galaxies with one magnitude each, got ${n} and ${m0.length}`);
  for (let i = 0; i < n; i++) if (!(z[i]! > 0)) throw new ValueError(`fitRedshiftPrior: z[${i}] = ${z[i]} must be > 0`);
  let zs = 0;
  for (let i = 0; i < n; i++) zs += z[i]!;
  const nll = (t: Float64Array): number => {
    const p = { alpha: Math.exp(t[0]!), z0: Math.exp(t[1]!), km: t[2]!, mRef };
    let s = 0;
    for (let i = 0; i < n; i++) s -= logPrior(p, z[i]!, m0[i]!);
    return s / n;
  };
  const r = minimizeLbfgs(
    (x, grad) => {
      grad.set(numericGradient(nll, x, 1e-6));
      return nll(x);
    },
    [Math.log(2), Math.log(zs / n), 0.3],
    { maxIterations: 200 },
  );
  const x = r.x;
  return { alpha: Math.exp(x[0]!), z0: Math.exp(x[1]!), km: x[2]!, mRef };
}
