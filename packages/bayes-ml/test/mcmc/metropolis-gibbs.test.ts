import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import { adaptiveMetropolis, gibbsSample, ksStatistic, normalCdf } from '../../src/index.js';
import { columnMoments } from './fixture.js';

describe('adaptive Metropolis (Haario et al. 2001)', () => {
  it('learns the covariance of a correlated Gaussian and samples it', () => {
    const rho = 0.95;
    const s = [1, 3];
    const logProb = (x: Float64Array): number => {
      const u = x[0]! / s[0]!;
      const v = x[1]! / s[1]!;
      return (-0.5 * (u * u - 2 * rho * u * v + v * v)) / (1 - rho * rho);
    };
    const r = adaptiveMetropolis({ logProb, x0: [0, 0], nSamples: 40_000, nWarmup: 10_000, seed: 8 });
    // Gelman, Roberts & Gilks (1996): with the 2.38²/d scaling a 2-D Gaussian is accepted ≈ 35 % of the time.
    expect(r.acceptanceRate).toBeGreaterThan(0.3);
    expect(r.acceptanceRate).toBeLessThan(0.4);
    // Learnt proposal = 2.38²/d × target covariance Σ = [[1, 3ρ], [3ρ, 9]], every entry (the off-diagonal
    // too) within 15 % — the spread of the 10⁴-step warm-up estimate over seeds is about ±9 %.
    const sd2 = 2.38 ** 2 / 2;
    const target = [1, 3 * rho, 3 * rho, 9];
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(r.proposalCovariance[i]! / (sd2 * target[i]!) - 1)).toBeLessThan(0.15);
    }
    for (let d = 0; d < 2; d++) {
      const { mean, std } = columnMoments(r.chain.data, 2, d);
      expect(Math.abs(mean) / s[d]!).toBeLessThan(0.1);
      expect(Math.abs(std / s[d]! - 1)).toBeLessThan(0.08);
    }
    expect(() => adaptiveMetropolis({ logProb: () => -Infinity, x0: [0, 0], nSamples: 10 })).toThrow(ValueError);
  });
});

describe('Gibbs sampler', () => {
  it('samples a bivariate normal from its full conditionals x | y ~ N(ρy, 1 − ρ²)', () => {
    const rho = 0.6;
    const sc = Math.sqrt(1 - rho * rho);
    const chain = gibbsSample({
      init: [5, -5],
      updates: [
        (st, rng) => {
          st[0] = rho * st[1]! + sc * rng.normal();
        },
        (st, rng) => {
          st[1] = rho * st[0]! + sc * rng.normal();
        },
      ],
      nSamples: 20_000,
      nWarmup: 100,
      thin: 2,
      seed: 12,
    });
    const n = chain.nSteps;
    let cxy = 0;
    for (let i = 0; i < n; i++) cxy += chain.data[2 * i]! * chain.data[2 * i + 1]!;
    expect(cxy / n).toBeCloseTo(rho, 1);
    for (let d = 0; d < 2; d++) {
      const { mean, std, column } = columnMoments(chain.data, 2, d);
      expect(Math.abs(mean)).toBeLessThan(0.05);
      expect(Math.abs(std - 1)).toBeLessThan(0.03);
      expect(ksStatistic(column, normalCdf)).toBeLessThan(0.03);
    }
    expect(() => gibbsSample({ init: [0], updates: [(st) => void (st[0] = NaN)], nSamples: 2 })).toThrow(/NaN/);
  });
});
