import { ShapeError, assertFinite } from '@astro/core';
import { fftInPlace, nextPow2 } from '@astro/core/linalg';
import { checkChain, type Chain } from '../chain.js';
import { splitChains } from './rhat.js';

/**
 * Effective sample size of the mean per parameter, as in Stan and Vehtari et al. (2021):
 * chains are split in half, the multi-chain autocorrelation ρ̂ₜ = 1 − (W − mean autocovₜ)/var⁺
 * is summed with Geyer's (1992) initial monotone positive-sequence truncation, and
 * ESS = M·n / τ̂. For independent draws ESS ≈ the number of draws; for an AR(1) chain with
 * coefficient a, ESS ≈ N (1 − a)/(1 + a).
 */
export function effectiveSampleSize(chain: Chain): Float64Array {
  checkChain(chain, 'effectiveSampleSize');
  if (chain.nSteps < 8) throw new ShapeError(`effectiveSampleSize needs at least 8 steps, got ${chain.nSteps}`);
  assertFinite(chain.data, 'chain');
  const out = new Float64Array(chain.nDim);
  for (let d = 0; d < chain.nDim; d++) out[d] = essOf(splitChains(chain, d));
  return out;
}

function autocovariance(x: Float64Array): Float64Array {
  const n = x.length;
  const m = 2 * nextPow2(n);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  let mu = 0;
  for (const v of x) mu += v;
  mu /= n;
  for (let i = 0; i < n; i++) re[i] = x[i]! - mu;
  fftInPlace(re, im);
  for (let i = 0; i < m; i++) {
    re[i] = re[i]! * re[i]! + im[i]! * im[i]!;
    im[i] = 0;
  }
  fftInPlace(re, im, true);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = re[i]! / m / n;
  return out;
}

function essOf(chains: Float64Array[]): number {
  const m = chains.length;
  const n = chains[0]!.length;
  const acov = chains.map(autocovariance);
  const means = chains.map((c) => c.reduce((a, b) => a + b, 0) / n);
  const meanAcov = (t: number): number => acov.reduce((s, a) => s + a[t]!, 0) / m;
  const meanVar = (meanAcov(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) {
    const g = means.reduce((a, b) => a + b, 0) / m;
    varPlus += means.reduce((s, v) => s + (v - g) ** 2, 0) / (m - 1);
  }
  if (!(varPlus > 0)) return NaN;
  const rho = new Float64Array(n);
  rho[0] = 1;
  let rhoEven = 1;
  let rhoOdd = 1 - (meanVar - meanAcov(1)) / varPlus;
  rho[1] = rhoOdd;
  let t = 1;
  while (t < n - 3 && rhoEven + rhoOdd > 0) {
    rhoEven = 1 - (meanVar - meanAcov(t + 1)) / varPlus;
    rhoOdd = 1 - (meanVar - meanAcov(t + 2)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t + 1] = rhoEven;
      rho[t + 2] = rhoOdd;
    }
    t += 2;
  }
  const maxT = t - 2;
  if (rhoEven > 0 && maxT + 1 < n) rho[maxT + 1] = rhoEven;
  // Geyer's initial monotone sequence.
  for (let s = 1; s <= maxT - 2; s += 2) {
    if (rho[s + 1]! + rho[s + 2]! > rho[s - 1]! + rho[s]!) {
      rho[s + 1] = (rho[s - 1]! + rho[s]!) / 2;
      rho[s + 2] = rho[s + 1]!;
    }
  }
  let sum = 0;
  for (let s = 0; s <= maxT; s++) sum += rho[s]!;
  const draws = m * n;
  let tau = -1 + 2 * sum + (maxT + 1 < n ? rho[maxT + 1]! : 0);
  tau = Math.max(tau, 1 / Math.log10(draws));
  return draws / tau;
}
