import { describe, expect, it } from 'vitest';
import { ready, tf } from '@astro/core';
import {
  binPdfs,
  ClapEncoder,
  colourFeatures,
  DEFAULT_ENCODER,
  fitStandardizer,
  N_FEATURES,
  parsePhotometry,
  standardize,
  zGrid,
} from '../src/index.js';

describe('softmax-over-bins PDFs', () => {
  it('are the head probabilities divided by the bin width, constant within each bin', async () => {
    await ready({ backend: 'cpu', strict: true });
    const cat = parsePhotometry(
      '20.1 18.0 17.1 16.7 16.4 0.11 0.01 0.006 0.006 0.017 0.09\n19.0 17.5 16.9 16.6 16.3 0.05 0.01 0.005 0.006 0.01 0.2',
    );
    const enc = new ClapEncoder({ ...DEFAULT_ENCODER, nBins: 8, zMin: 0, zMax: 0.8 }, 3);
    const s = fitStandardizer(colourFeatures(cat), N_FEATURES);
    const grid = zGrid(0, 0.8, 0.0125); // 8 grid points per bin
    const set = await binPdfs(enc, cat, s, grid);
    const x = tf.tensor2d(standardize(colourFeatures(cat), s), [2, N_FEATURES]);
    const probs = tf.tidy(() => tf.softmax(enc.head.forward(enc.forward(x))));
    const pb = await probs.data();
    tf.dispose([x, probs]);
    // the last grid point (z = 0.8) is outside the 8 half-open bins, so the trapezoid norm differs
    // from 1 only by the half-weight edge terms: compare ratios between bins instead
    for (let i = 0; i < 2; i++) {
      const ref = set.p[i * grid.n + 4]! / pb[i * 8]!;
      for (let b = 0; b < 8; b++) {
        for (let t = 0; t < 8; t++) expect(set.p[i * grid.n + b * 8 + t]! / pb[i * 8 + b]!).toBeCloseTo(ref, 5);
      }
      expect(ref * 0.1).toBeCloseTo(1, 1); // density ≈ P_b / Δ with Δ = 0.1
    }
    enc.dispose();
  });
});

describe('refit targets', () => {
  it('bin probabilities of a Gaussian PDF are differences of its normal CDF', async () => {
    const { binProbabilities, normalizePdfs, zGrid, gridZ } = await import('../src/index.js');
    const grid = zGrid(0, 0.8, 0.0025);
    const p = new Float64Array(grid.n);
    for (let j = 0; j < grid.n; j++) p[j] = Math.exp(-0.5 * ((gridZ(grid, j) - 0.3) / 0.04) ** 2);
    const q = binProbabilities(normalizePdfs(grid, p), 160);
    const Phi = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));
    expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (const b of [50, 58, 60, 61, 70]) expect(q[b]!).toBeCloseTo(Phi(((b + 1) * 0.005 - 0.3) / 0.04) - Phi((b * 0.005 - 0.3) / 0.04), 4);
  });
});

/** erf by Abramowitz–Stegun 7.1.26 refined with one Newton-free series term (|error| < 1.5e-7). */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
