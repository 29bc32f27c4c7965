import { ShapeError, ValueError, assertFinite } from '@astro/core';
import { AutocorrError } from '../errors.js';
import { fftInPlace, nextPow2 } from '@astro/core/linalg';
import { checkChain, type Chain } from '../chain.js';

/**
 * Normalised autocorrelation function of a 1-D series by FFT with zero padding to 2·2^⌈log₂n⌉
 * (emcee's `autocorr.function_1d`): ρ(k) = Σ (xᵢ − x̄)(xᵢ₊ₖ − x̄) / Σ (xᵢ − x̄)², k = 0…n−1.
 */
export function autocorrFunction(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (n < 2) throw new ShapeError(`autocorrFunction needs at least 2 points, got ${n}`);
  assertFinite(x, 'chain');
  const m = 2 * nextPow2(n);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  for (let i = 0; i < n; i++) re[i] = x[i]! - mean;
  fftInPlace(re, im);
  for (let i = 0; i < m; i++) {
    re[i] = re[i]! * re[i]! + im[i]! * im[i]!;
    im[i] = 0;
  }
  fftInPlace(re, im, true);
  const acf = new Float64Array(n);
  const c0 = re[0]!;
  if (!(c0 > 0)) {
    // A constant series: define ρ(0) = 1 and ρ(k > 0) = 0 would hide a stuck chain, so say so.
    throw new AutocorrError('autocorrFunction: the series is constant (a stuck chain)', new Float64Array([Infinity]));
  }
  for (let i = 0; i < n; i++) acf[i] = re[i]! / c0;
  return acf;
}

/** Sokal's automatic window: the first M with M ≥ c·τ(M), else the last index (emcee `auto_window`). */
function autoWindow(taus: Float64Array, c: number): number {
  for (let m = 0; m < taus.length; m++) if (m >= c * taus[m]!) return m;
  return taus.length - 1;
}

/** Options of {@link integratedTime}. */
export interface IntegratedTimeOptions {
  /** Sokal window constant (emcee default 5). */
  c?: number;
  /** Minimum chain length in units of τ (emcee default 50). */
  tol?: number;
  /** Warn instead of throwing when the chain is too short. */
  quiet?: boolean;
}

/**
 * Integrated autocorrelation time τ per parameter by emcee's method (Foreman-Mackey et al.
 * 2013; Goodman & Weare 2010; Sokal 1997): the FFT autocorrelation function averaged over
 * walkers, τ(M) = 1 + 2 Σ_{k=1}^{M} ρ(k), with Sokal's window (smallest M ≥ c·τ(M)).
 * `chain` is [nSteps, nWalkers, nDim]. Throws {@link AutocorrError} when
 * nSteps < tol·τ for any parameter (unless `quiet`).
 */
export function integratedTime(chain: Chain, opts: IntegratedTimeOptions = {}): Float64Array {
  checkChain(chain, 'integratedTime');
  const c = opts.c ?? 5;
  const tol = opts.tol ?? 50;
  if (!(c > 0)) throw new ValueError(`integratedTime: c must be > 0, got ${c}`);
  if (!(tol >= 0)) throw new ValueError(`integratedTime: tol must be ≥ 0, got ${tol}`);
  const { nSteps, nWalkers, nDim, data } = chain;
  if (nSteps < 2) throw new ShapeError(`integratedTime needs at least 2 steps, got ${nSteps}`);
  const tau = new Float64Array(nDim);
  const series = new Float64Array(nSteps);
  const f = new Float64Array(nSteps);
  for (let d = 0; d < nDim; d++) {
    f.fill(0);
    for (let k = 0; k < nWalkers; k++) {
      for (let t = 0; t < nSteps; t++) series[t] = data[(t * nWalkers + k) * nDim + d]!;
      const acf = autocorrFunction(series);
      for (let t = 0; t < nSteps; t++) f[t] = f[t]! + acf[t]!;
    }
    const taus = new Float64Array(nSteps);
    let cum = 0;
    for (let t = 0; t < nSteps; t++) {
      cum += f[t]! / nWalkers;
      taus[t] = 2 * cum - 1;
    }
    tau[d] = taus[autoWindow(taus, c)]!;
  }
  const bad: number[] = [];
  for (let d = 0; d < nDim; d++) if (tol * tau[d]! > nSteps) bad.push(d);
  if (bad.length > 0) {
    const msg =
      `The chain is shorter than ${tol} times the integrated autocorrelation time for ${bad.length} parameter(s) ` +
      `[${bad.join(', ')}]. Use this estimate with caution and run a longer chain! N/${tol} = ${(nSteps / tol).toFixed(1)}; ` +
      `tau: [${Array.from(tau, (v) => v.toPrecision(4)).join(', ')}]`;
    if (!opts.quiet) throw new AutocorrError(msg, tau);
    console.warn(msg);
  }
  return tau;
}
