import { describe, expect, it, beforeAll } from 'vitest';
import { tf, ready, ShapeError } from '@astro/core';
import { Rng } from '@astro/core';
import { CrossDecoder, fitCrossDecoder } from '../src/index.js';

beforeAll(async () => {
  await ready({ backend: 'wasm' });
});

describe('CrossDecoder', () => {
  it('learns a smooth map from embeddings to spectra, ignoring masked target pixels', async () => {
    // spectra = 1 − depth(z)·line profile, depth a smooth function of a 4-d embedding
    const rng = new Rng(1);
    const n = 400;
    const D = 4;
    const P = 30;
    const z = new Float32Array(n * D);
    const y = new Float32Array(n * P);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < D; j++) z[i * D + j] = rng.normal();
      const depth = 0.3 + 0.1 * Math.tanh(z[i * D]!) + 0.05 * z[i * D + 1]!;
      for (let k = 0; k < P; k++) y[i * P + k] = 1 - depth * Math.exp(-0.5 * ((k - 15) / 3) ** 2);
      if (i % 7 === 0) y[i * P + 15] = NaN; // masked pixel
    }
    const dec = new CrossDecoder({ embedDim: D, pixels: P, hidden: [32], seed: 2 });
    const hist = await fitCrossDecoder(dec, z, y, { epochs: 40, batchSize: 32, lr: 3e-3, seed: 3 });
    expect(Number.isFinite(hist.at(-1)!)).toBe(true);
    // baseline: the mean spectrum's MSE at the line centre is Var(depth) ≈ 0.0035–0.004
    expect(hist.at(-1)!).toBeLessThan(0.1 * hist[0]!);
    const p = dec.forward(tf.tensor2d([[0, 0, 0, 0]]));
    expect(p.dataSync()[15]!).toBeCloseTo(0.7, 1);
    p.dispose();
    await expect(fitCrossDecoder(dec, z, y.subarray(1), { epochs: 1 })).rejects.toThrow(ShapeError);
    dec.dispose();
  });
});
