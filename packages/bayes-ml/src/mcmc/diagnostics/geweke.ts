import { ShapeError, assertFinite } from '@astro/core';
import { autocorrFunction } from './autocorr.js';

/** Options of {@link gewekeZ}. */
export interface GewekeOptions {
  /** Fraction of the chain in the first window (default 0.1). */
  first?: number;
  /** Fraction of the chain in the last window (default 0.5). */
  last?: number;
}

/**
 * Geweke (1992) convergence diagnostic for one series: the z-score of the difference between
 * the means of the first 10% and the last 50% of the chain, each with a variance from its
 * spectral density at zero frequency, estimated as s²·τ with τ the integrated
 * autocorrelation time (Sokal window, c = 5). |z| ≳ 2 suggests the chain had not converged.
 */
export function gewekeZ(x: ArrayLike<number>, opts: GewekeOptions = {}): number {
  const first = opts.first ?? 0.1;
  const last = opts.last ?? 0.5;
  if (!(first > 0 && last > 0 && first + last <= 1)) {
    throw new ShapeError(`gewekeZ: windows first=${first}, last=${last} must be positive and not overlap`);
  }
  assertFinite(x, 'chain');
  const n = x.length;
  const na = Math.floor(first * n);
  const nb = Math.floor(last * n);
  if (na < 10 || nb < 10) throw new ShapeError(`gewekeZ: chain of ${n} steps is too short (windows of ${na} and ${nb})`);
  const a = Float64Array.from({ length: na }, (_, i) => x[i]!);
  const b = Float64Array.from({ length: nb }, (_, i) => x[n - nb + i]!);
  const sa = meanAndSpectralVar(a);
  const sb = meanAndSpectralVar(b);
  return (sa.mean - sb.mean) / Math.sqrt(sa.s0 / na + sb.s0 / nb);
}

function meanAndSpectralVar(x: Float64Array): { mean: number; s0: number } {
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  let v = 0;
  for (const e of x) v += (e - mean) ** 2;
  v /= n;
  const acf = autocorrFunction(x);
  let tau = 1;
  for (let m = 1; m < n; m++) {
    tau += 2 * acf[m]!;
    if (m >= 5 * tau) break;
  }
  return { mean, s0: v * Math.max(tau, 1 / n) };
}
