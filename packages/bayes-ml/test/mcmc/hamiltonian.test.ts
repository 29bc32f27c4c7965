import { describe, expect, it } from 'vitest';
import { ValueError, ready, tf } from '@astro/core';
import { effectiveSampleSize, hmc, ksStatistic, normalCdf, nuts, tfjsLogProbGrad, type LogProbGrad } from '../../src/index.js';
import { columnMoments } from './fixture.js';

// A correlated 2-D Gaussian with very different scales: σ = (1, 10), ρ = 0.9.
const sd = [1, 10];
const rho = 0.9;
const cov = [sd[0]! ** 2, rho * sd[0]! * sd[1]!, rho * sd[0]! * sd[1]!, sd[1]! ** 2];
const det = cov[0]! * cov[3]! - cov[1]! * cov[2]!;
const prec = [cov[3]! / det, -cov[1]! / det, -cov[2]! / det, cov[0]! / det];
const gauss: LogProbGrad = (x, g) => {
  const a = prec[0]! * x[0]! + prec[1]! * x[1]!;
  const b = prec[2]! * x[0]! + prec[3]! * x[1]!;
  g[0] = -a;
  g[1] = -b;
  return -0.5 * (x[0]! * a + x[1]! * b);
};

function checkGaussian(data: Float64Array): void {
  for (let d = 0; d < 2; d++) {
    const { mean, std, column } = columnMoments(data, 2, d);
    expect(Math.abs(mean) / sd[d]!).toBeLessThan(0.08);
    expect(Math.abs(std / sd[d]! - 1)).toBeLessThan(0.05);
    expect(ksStatistic(column, (v) => normalCdf(v / sd[d]!))).toBeLessThan(0.05);
  }
  // Sample correlation (normalised by the sample moments, so it does not inherit their error):
  // SE ≈ (1 − ρ²)/√ESS ≈ 0.006 for ESS ≈ 1000; 0.03 is a 5σ bound.
  const n = data.length / 2;
  const a = columnMoments(data, 2, 0);
  const b = columnMoments(data, 2, 1);
  let c = 0;
  for (let i = 0; i < n; i++) c += (data[2 * i]! - a.mean) * (data[2 * i + 1]! - b.mean);
  expect(Math.abs(c / n / (a.std * b.std) - rho)).toBeLessThan(0.03);
}

describe('NUTS', () => {
  it('samples a correlated, badly scaled Gaussian: moments, KS < 0.05, no divergences, ESS', async () => {
    const r = await nuts({ logProbGrad: gauss, x0: [0.5, -3], nSamples: 4000, nWarmup: 1000, seed: 3 });
    checkGaussian(r.chain.data);
    expect(r.divergences).toBe(0);
    expect(r.meanAcceptStat).toBeGreaterThan(0.6);
    expect(r.meanAcceptStat).toBeLessThan(0.98);
    // The adapted inverse mass approaches the marginal variances (1, 100).
    expect(r.invMass[1]! / r.invMass[0]!).toBeGreaterThan(30);
    const ess = effectiveSampleSize(r.chain);
    for (const e of ess) expect(e).toBeGreaterThan(400);
  });

  it('uses tfjs autodiff gradients that match the analytic ones', async () => {
    await ready({ backend: 'cpu' });
    const P = tf.tensor2d(prec, [2, 2]);
    const f = tfjsLogProbGrad((t) => tf.mul(-0.5, tf.sum(tf.mul(t, tf.reshape(tf.matMul(P, tf.reshape(t, [2, 1])), [2])))));
    const x = Float64Array.from([0.3, -2]);
    const g1 = new Float64Array(2);
    const g2 = new Float64Array(2);
    const before = tf.memory().numTensors;
    const v1 = await f(x, g1);
    expect(tf.memory().numTensors).toBe(before);
    const v2 = await gauss(x, g2);
    expect(v1).toBeCloseTo(v2, 5);
    for (let i = 0; i < 2; i++) expect(g1[i]!).toBeCloseTo(g2[i]!, 4);
    const r = await nuts({ logProbGrad: f, x0: [0.5, -3], nSamples: 100, nWarmup: 100, seed: 1 });
    expect(r.divergences).toBe(0);
    expect(Math.abs(columnMoments(r.chain.data, 2, 1).mean)).toBeLessThan(4);
    P.dispose();
  });

  it('rejects a start outside the support and NaN gradients', async () => {
    const bounded: LogProbGrad = (x, g) => {
      g[0] = -x[0]!;
      return x[0]! > 0 ? -0.5 * x[0]! ** 2 : -Infinity;
    };
    await expect(nuts({ logProbGrad: bounded, x0: [-1], nSamples: 10 })).rejects.toThrow(/support/);
    const nanGrad: LogProbGrad = (_x, g) => {
      g[0] = NaN;
      return 0;
    };
    await expect(nuts({ logProbGrad: nanGrad, x0: [1], nSamples: 10 })).rejects.toThrow(ValueError);
  });
});

describe('HMC', () => {
  it('samples the same Gaussian with dual-averaged step size near the 0.65 target', async () => {
    const r = await hmc({ logProbGrad: gauss, x0: [0.5, -3], nSamples: 4000, nWarmup: 1000, trajectoryLength: 3, seed: 4 });
    checkGaussian(r.chain.data);
    expect(r.meanAcceptStat).toBeGreaterThan(0.5);
    expect(r.meanAcceptStat).toBeLessThan(0.9);
  });
});
