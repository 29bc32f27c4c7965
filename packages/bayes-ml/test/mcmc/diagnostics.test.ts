import { describe, expect, it } from 'vitest';
import { ShapeError } from '@astro/core';
import {
  AutocorrError,
  Rng,
  autocorrFunction,
  chainFromArrays,
  chainFromSeries,
  effectiveSampleSize,
  gewekeZ,
  integratedTime,
  ksStatistic,
  normalQuantile,
  splitRhat,
  type Chain,
} from '../../src/index.js';
import { loadFixture } from './fixture.js';

interface McmcFixture {
  autocorr: { shape: [number, number, number]; chain: number[]; tau_c5: number[]; function1d_first50: number[] };
  kstest: { x: number[]; statistic: number };
  norm_ppf: { p: number[]; x: number[] };
}
const fx = loadFixture<McmcFixture>('mcmc.json');

/** AR(1) chains x_t = a x_{t−1} + ε_t, [nSteps, nChains, 1]; τ = (1 + a)/(1 − a). */
function ar1(a: number, nSteps: number, nChains: number, seed: number, offsets: number[] = []): Chain {
  const rng = new Rng(seed);
  const data = new Float64Array(nSteps * nChains);
  for (let k = 0; k < nChains; k++) {
    let x = rng.normal() / Math.sqrt(1 - a * a);
    for (let t = 0; t < nSteps; t++) {
      x = a * x + rng.normal();
      data[t * nChains + k] = x + (offsets[k] ?? 0);
    }
  }
  return { data, nSteps, nWalkers: nChains, nDim: 1 };
}

describe('integrated autocorrelation time (emcee)', () => {
  it('matches emcee.autocorr.integrated_time and function_1d on a stored ensemble chain', () => {
    const [nSteps, nWalkers, nDim] = fx.autocorr.shape;
    const chain: Chain = { data: Float64Array.from(fx.autocorr.chain), nSteps, nWalkers, nDim };
    const tau = integratedTime(chain, { c: 5, tol: 0 });
    for (let d = 0; d < nDim; d++) expect(Math.abs(tau[d]! - fx.autocorr.tau_c5[d]!)).toBeLessThan(1e-9 * fx.autocorr.tau_c5[d]!);
    const series = Float64Array.from({ length: nSteps }, (_, t) => chain.data[t * nWalkers * nDim]!);
    const acf = autocorrFunction(series);
    for (let k = 0; k < 50; k++) expect(acf[k]!).toBeCloseTo(fx.autocorr.function1d_first50[k]!, 11);
  });

  it('an AR(1) chain with a = 0.9 gives τ ≈ 19 within 20% (emcee’s test)', () => {
    const tau = integratedTime(ar1(0.9, 100_000, 1, 1234));
    expect(Math.abs(tau[0]! - 19) / 19).toBeLessThan(0.2);
    const multi = integratedTime(ar1(0.9, 20_000, 8, 99));
    expect(Math.abs(multi[0]! - 19) / 19).toBeLessThan(0.2);
  });

  it('throws AutocorrError (carrying τ) when the chain is shorter than 50 τ', () => {
    const chain = ar1(0.9, 500, 1, 3);
    expect(() => integratedTime(chain)).toThrow(AutocorrError);
    try {
      integratedTime(chain);
    } catch (e) {
      expect((e as AutocorrError).tau[0]).toBeGreaterThan(5);
      expect((e as AutocorrError).message).toMatch(/shorter than 50 times/);
    }
    expect(() => autocorrFunction([1, 1, 1, 1])).toThrow(/constant/);
  });
});

describe('split R̂, ESS and Geweke', () => {
  it('R̂ ≈ 1 for well-mixed chains and ≫ 1 when chains disagree', () => {
    const good = ar1(0.5, 2000, 4, 1);
    for (const method of ['rank', 'classic'] as const) {
      expect(splitRhat(good, { method })[0]).toBeLessThan(1.01);
      expect(splitRhat(good, { method })[0]).toBeGreaterThan(0.99);
      expect(splitRhat(ar1(0.5, 2000, 4, 1, [0, 0, 0, 3]), { method })[0]).toBeGreaterThan(1.2);
    }
    // A single trending chain is caught by the split.
    const trend = chainFromSeries(Float64Array.from({ length: 1000 }, (_, t) => t / 100 + Math.sin(t)));
    expect(splitRhat(trend)[0]).toBeGreaterThan(1.5);
  });

  it('ESS ≈ N for independent draws and N(1 − a)/(1 + a) for AR(1)', () => {
    const iid = ar1(0, 4000, 4, 5);
    const essIid = effectiveSampleSize(iid)[0]!;
    expect(essIid / 16000).toBeGreaterThan(0.9);
    expect(essIid / 16000).toBeLessThan(1.1);
    const essAr = effectiveSampleSize(ar1(0.8, 10_000, 4, 6))[0]!;
    const expected = (40_000 * 0.2) / 1.8;
    expect(essAr / expected).toBeGreaterThan(0.8);
    expect(essAr / expected).toBeLessThan(1.2);
  });

  it('Geweke |z| is small for a stationary chain and large for a drifting one', () => {
    const stationary = Array.from({ length: 5 }, (_, s) => Math.abs(gewekeZ(ar1(0.5, 5000, 1, 20 + s).data)));
    expect(Math.max(...stationary)).toBeLessThan(3.3);
    const drift = Float64Array.from(ar1(0.5, 5000, 1, 7).data, (v, t) => v + t / 1000);
    expect(Math.abs(gewekeZ(drift))).toBeGreaterThan(5);
    expect(() => gewekeZ([1, 2, 3])).toThrow(ShapeError);
  });

  it('chain helpers validate shapes', () => {
    const c = chainFromArrays([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expect([c.nSteps, c.nWalkers, c.nDim]).toEqual([2, 2, 2]);
    expect(Array.from(c.data)).toEqual([1, 2, 5, 6, 3, 4, 7, 8]);
    expect(() => chainFromArrays([[[1, 2]], [[1]]])).toThrow(ShapeError);
  });
});

describe('KS statistic and normal quantile against scipy', () => {
  it('ksStatistic equals scipy.stats.kstest', () => {
    expect(ksStatistic(fx.kstest.x)).toBeCloseTo(fx.kstest.statistic, 12);
  });
  it('normalQuantile equals scipy.stats.norm.ppf to 1e-8 relative', () => {
    fx.norm_ppf.p.forEach((p, i) => {
      const ref = fx.norm_ppf.x[i]!;
      expect(Math.abs(normalQuantile(p) - ref)).toBeLessThan(1e-8 * Math.max(1, Math.abs(ref)));
    });
  });
});
