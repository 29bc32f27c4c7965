import { ShapeError, ValueError, assertFinite } from '@astro/core';
import { cholesky } from '@astro/core/linalg';
import { toRng, type Rng, uniformOpen } from '../sampling/rng.js';
import type { Chain } from './chain.js';

/** Options of {@link adaptiveMetropolis}. */
export interface AdaptiveMetropolisOptions {
  /** log p(θ) up to a constant; −Infinity outside the support. */
  logProb: (theta: Float64Array) => number;
  /** Starting point (length nDim). */
  x0: ArrayLike<number>;
  /** Number of samples to return (after warm-up). */
  nSamples: number;
  /** Warm-up iterations, discarded; adaptation runs during them (default nSamples/2). */
  nWarmup?: number;
  /** Keep adapting after warm-up (Haario et al.'s original scheme; default false = frozen proposal). */
  adaptAfterWarmup?: boolean;
  /** Initial proposal covariance, row-major nDim×nDim (default 0.01·I). */
  initialCovariance?: ArrayLike<number>;
  /** Iterations before the empirical covariance is first used (default 2·nDim + 50). */
  adaptStart?: number;
  /** Regulariser ε added to the adapted covariance diagonal (default 1e-10). */
  epsilon?: number;
  seed?: number | Rng;
}

/** Result of {@link adaptiveMetropolis}. */
export interface MetropolisResult {
  /** Samples as a one-chain {@link Chain} [nSamples, 1, nDim]. */
  chain: Chain;
  /** log p at each sample. */
  logProb: Float64Array;
  /** Fraction of accepted proposals after warm-up. */
  acceptanceRate: number;
  /** Final proposal covariance (nDim×nDim, row-major), already scaled by 2.38²/nDim. */
  proposalCovariance: Float64Array;
}

/**
 * Adaptive random-walk Metropolis–Hastings (Haario, Saksman & Tamminen 2001): Gaussian
 * proposals with covariance s_d (Σₜ + εI), s_d = 2.38²/d (Gelman, Roberts & Gilks 1996),
 * Σₜ the running empirical covariance of the chain (Welford updates).
 */
export function adaptiveMetropolis(opts: AdaptiveMetropolisOptions): MetropolisResult {
  const x = Float64Array.from(opts.x0);
  const d = x.length;
  if (d === 0) throw new ShapeError('adaptiveMetropolis: x0 is empty');
  assertFinite(x, 'adaptiveMetropolis: x0');
  const { nSamples } = opts;
  if (!Number.isInteger(nSamples) || nSamples < 1) throw new ValueError(`nSamples must be a positive integer, got ${nSamples}`);
  const nWarmup = opts.nWarmup ?? Math.floor(nSamples / 2);
  const adaptStart = opts.adaptStart ?? 2 * d + 50;
  const eps = opts.epsilon ?? 1e-10;
  const sd = (2.38 * 2.38) / d;
  const rng = toRng(opts.seed);
  let cov = new Float64Array(d * d);
  if (opts.initialCovariance) {
    if (opts.initialCovariance.length !== d * d) {
      throw new ShapeError(`initialCovariance has ${opts.initialCovariance.length} values, expected ${d * d}`);
    }
    cov.set(Array.from(opts.initialCovariance));
  } else for (let i = 0; i < d; i++) cov[i * d + i] = 0.01;
  let L = cholesky(cov, d, { jitter: false }).L;
  let lp = opts.logProb(x);
  if (!(lp > -Infinity) || Number.isNaN(lp)) throw new ValueError(`adaptiveMetropolis: log p(x0) = ${lp}; start inside the support`);
  // Running mean / scatter of the chain (Welford).
  const mean = Float64Array.from(x);
  const m2 = new Float64Array(d * d);
  let count = 1;
  const total = nWarmup + nSamples;
  const out = new Float64Array(nSamples * d);
  const outLp = new Float64Array(nSamples);
  const z = new Float64Array(d);
  const y = new Float64Array(d);
  const delta = new Float64Array(d);
  let accepted = 0;
  for (let it = 0; it < total; it++) {
    for (let i = 0; i < d; i++) z[i] = rng.normal();
    for (let i = 0; i < d; i++) {
      let s = x[i]!;
      for (let j = 0; j <= i; j++) s += L[i * d + j]! * z[j]!;
      y[i] = s;
    }
    const lpy = opts.logProb(y);
    if (Number.isNaN(lpy) || lpy === Infinity) throw new ValueError(`adaptiveMetropolis: log p = ${lpy} at [${Array.from(y).join(', ')}]`);
    if (lpy - lp > Math.log(uniformOpen(rng))) {
      x.set(y);
      lp = lpy;
      if (it >= nWarmup) accepted++;
    }
    const adapting = it < nWarmup || opts.adaptAfterWarmup;
    if (adapting) {
      count++;
      for (let i = 0; i < d; i++) delta[i] = x[i]! - mean[i]!;
      for (let i = 0; i < d; i++) mean[i] = mean[i]! + delta[i]! / count;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m2[i * d + j] = m2[i * d + j]! + delta[i]! * (x[j]! - mean[j]!);
      if (count >= adaptStart && (count % 10 === 0 || it === nWarmup - 1)) {
        const next = new Float64Array(d * d);
        for (let i = 0; i < d * d; i++) next[i] = (sd * m2[i]!) / (count - 1);
        for (let i = 0; i < d; i++) next[i * d + i] = next[i * d + i]! + sd * eps;
        try {
          L = cholesky(next, d, { jitter: false, assumeFinite: true }).L;
          cov = next;
        } catch {
          // Keep the previous proposal when the empirical covariance is still degenerate.
        }
      }
    }
    if (it >= nWarmup) {
      out.set(x, (it - nWarmup) * d);
      outLp[it - nWarmup] = lp;
    }
  }
  return {
    chain: { data: out, nSteps: nSamples, nWalkers: 1, nDim: d },
    logProb: outLp,
    acceptanceRate: accepted / nSamples,
    proposalCovariance: cov,
  };
}
