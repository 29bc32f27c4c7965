import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import {
  Rng,
  importanceExpectation,
  importanceWeights,
  ksStatistic,
  normalCdf,
  rejectionSample,
  sampleInverseCdf,
  tabulatedDistribution,
} from '../../src/index.js';

/** 99.9% critical value of the one-sample KS statistic (Kolmogorov asymptote). */
const ksCrit = (n: number): number => 1.95 / Math.sqrt(n);

describe('inverse-CDF sampling', () => {
  it('draws an exponential distribution from its quantile function', () => {
    const lambda = 2.5;
    const n = 20_000;
    const x = sampleInverseCdf((u) => -Math.log1p(-u) / lambda, n, 11);
    const mean = x.reduce((s, v) => s + v, 0) / n;
    expect(Math.abs(mean - 1 / lambda)).toBeLessThan(0.01);
    expect(ksStatistic(x, (v) => 1 - Math.exp(-lambda * v))).toBeLessThan(ksCrit(n));
  });

  it('draws a Gaussian from a tabulated density', () => {
    const grid = Float64Array.from({ length: 2001 }, (_, i) => -8 + (16 * i) / 2000);
    const pdf = grid.map((g) => 3.7 * Math.exp(-0.5 * g * g)); // unnormalised on purpose
    const dist = tabulatedDistribution(grid, pdf);
    expect(dist.quantile(0.5)).toBeCloseTo(0, 6);
    expect(dist.quantile(0.975)).toBeCloseTo(1.959964, 3);
    const n = 20_000;
    expect(ksStatistic(dist.sample(n, 5), normalCdf)).toBeLessThan(ksCrit(n));
  });

  it('rejects bad grids', () => {
    expect(() => tabulatedDistribution([0, 1, 1], [1, 1, 1])).toThrow(ValueError);
    expect(() => tabulatedDistribution([0, 1], [1, -1])).toThrow(ValueError);
    expect(() => tabulatedDistribution([0, 1, 2], [1, 1])).toThrow(ShapeError);
    expect(() => tabulatedDistribution([0, NaN], [1, 1])).toThrow(ValueError);
  });
});

describe('rejection sampling', () => {
  // Beta(2, 2): p(x) = 6x(1−x) on [0, 1], max 1.5 at x = ½; CDF 3x² − 2x³.
  const uniform = { sample: (r: Rng) => r.uniform(), logPdf: (x: number) => (x >= 0 && x <= 1 ? 0 : -Infinity) };
  const logBeta22 = (x: number): number => (x > 0 && x < 1 ? Math.log(6 * x * (1 - x)) : -Infinity);

  it('samples Beta(2,2) with acceptance 1/M', () => {
    const n = 20_000;
    const r = rejectionSample({ logTarget: logBeta22, proposal: uniform, logEnvelope: Math.log(1.5), n, rng: 2 });
    expect(r.acceptanceRate).toBeGreaterThan(1 / 1.5 - 0.01);
    expect(r.acceptanceRate).toBeLessThan(1 / 1.5 + 0.01);
    expect(ksStatistic(r.samples, (x) => 3 * x * x - 2 * x ** 3)).toBeLessThan(ksCrit(n));
  });

  it('throws when the envelope is violated instead of returning wrong samples', () => {
    expect(() => rejectionSample({ logTarget: logBeta22, proposal: uniform, logEnvelope: Math.log(1.2), n: 1000, rng: 2 })).toThrow(
      /envelope violated/,
    );
  });
});

describe('importance sampling', () => {
  it('recovers the mean and evidence of a N(1, 0.5²) target from N(0, 2²) draws, with the closed-form ESS', () => {
    const rng = new Rng(9);
    const n = 40_000;
    const sq = 2;
    const mu = 1;
    const sp = 0.5;
    const logZ = Math.log(3); // target is 3 × N(1, 0.5²)
    const x = Float64Array.from({ length: n }, () => sq * rng.normal());
    const logN = (v: number, m: number, s: number): number => -0.5 * ((v - m) / s) ** 2 - Math.log(s * Math.sqrt(2 * Math.PI));
    const lt = x.map((v) => logZ + logN(v, mu, sp));
    const lq = x.map((v) => logN(v, 0, sq));
    const w = importanceWeights(lt, lq);
    expect(importanceExpectation(x, w.weights)).toBeCloseTo(mu, 1.5);
    expect(w.logEvidence).toBeCloseTo(logZ, 1.5);
    // ESS/n → 1 / E_q[(p/q)²] = 1 / ∫ p²/q dx (closed form for Gaussians).
    const s2 = 1 / (2 / sp ** 2 - 1 / sq ** 2);
    const m2 = s2 * ((2 * mu) / sp ** 2);
    const integral =
      (sq / (sp ** 2 * Math.sqrt(2 * Math.PI))) * Math.sqrt(2 * Math.PI * s2) * Math.exp(0.5 * (m2 ** 2 / s2 - (2 * mu ** 2) / sp ** 2));
    expect(w.ess / n).toBeGreaterThan((1 / integral) * 0.93);
    expect(w.ess / n).toBeLessThan((1 / integral) * 1.07);
  });

  it('rejects mismatched or uncovered input', () => {
    expect(() => importanceWeights([0, 0], [0])).toThrow(ShapeError);
    expect(() => importanceWeights([0, 0], [0, -Infinity])).toThrow(/cover/);
    expect(() => importanceWeights([-Infinity], [0])).toThrow(ValueError);
  });
});
