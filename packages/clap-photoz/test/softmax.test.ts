import { describe, expect, it } from 'vitest';
import { ready, tf } from '@astro/core';
import { binPdfs, ClapEncoder, colourFeatures, DEFAULT_ENCODER, fitStandardizer, N_FEATURES, parsePhotometry, standardize, zGrid } from '../src/index.js';

describe('softmax-over-bins PDFs', () => {
  it('are the head probabilities divided by the bin width, constant within each bin', async () => {
    await ready({ backend: 'cpu', strict: true });
    const cat = parsePhotometry('20.1 18.0 17.1 16.7 16.4 0.11 0.01 0.006 0.006 0.017 0.09\n19.0 17.5 16.9 16.6 16.3 0.05 0.01 0.005 0.006 0.01 0.2');
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
