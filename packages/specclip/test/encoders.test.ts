import { describe, expect, it, beforeAll } from 'vitest';
import { tf, ready, ShapeError, ValueError } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import { Rng } from '@astro/core';
import {
  patchLayout,
  patchify,
  chunkMask,
  maskedReconstructionLoss,
  SpectrumTransformer,
  XpAutoencoder,
  pretrainMasked,
  pretrainAutoencoder,
  loadPayne,
  loadMist,
  simulatePairs,
  type SpectrumPairs,
} from '../src/index.js';

describe('patches', () => {
  it('cuts 20-pixel windows overlapping by 10, padding the tail with masked pixels', () => {
    const L = patchLayout(95);
    expect(L.tokens).toBe(9); // starts 0,10,…,80; the last window covers 80–99, pixels 95–99 padded
    const flux = Float32Array.from({ length: 95 }, (_, i) => Math.sin(i / 5));
    const x = patchify(flux, L);
    const p = x.patches.arraySync()[0]!;
    const o = x.observed.arraySync()[0]!;
    expect(p[1]![0]).toBeCloseTo(p[0]![10]!, 6); // overlap: window 1 starts at pixel 10
    expect(o[8]!.slice(15)).toEqual([0, 0, 0, 0, 0]);
    expect(o[8]![14]).toBe(1);
    tf.dispose([x.patches, x.observed, x.logStd]);
  });
  it('masks NaN pixels instead of propagating them, and rejects bad input', () => {
    const L = patchLayout(40);
    const flux = Float32Array.from({ length: 40 }, (_, i) => 1 + 0.1 * Math.cos(i));
    flux[12] = NaN;
    const x = patchify(flux, L);
    expect(x.observed.arraySync()[0]![1]![2]).toBe(0);
    for (const v of x.patches.dataSync()) expect(Number.isFinite(v)).toBe(true);
    tf.dispose([x.patches, x.observed, x.logStd]);
    expect(() => patchify(new Float32Array(41), L)).toThrow(ShapeError);
    expect(() => patchify(new Float32Array(40).fill(1), L)).toThrow(/zero variance/);
    expect(() => patchLayout(10)).toThrow(ShapeError);
  });
  it('chunk masking masks the requested fraction in contiguous runs', () => {
    const m = chunkMask(50, 40, 0.3, 4, new Rng(1));
    for (let r = 0; r < 50; r++) {
      let c = 0;
      for (let t = 0; t < 40; t++) c += m[r * 40 + t]!;
      expect(c).toBe(12);
    }
    expect(() => chunkMask(1, 10, 1.5, 2, new Rng(1))).toThrow(ValueError);
  });
});

await describeBackends('masked-modelling loss', ({ tol }) => {
  it('equals the mean error over masked tokens (closed form)', async () => {
    const pred = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [0, 0],
      ],
    ]);
    const target = tf.tensor3d([
      [
        [0, 2],
        [1, 1],
        [5, 5],
      ],
    ]);
    const observed = tf.tensor3d([
      [
        [1, 1],
        [1, 0],
        [1, 1],
      ],
    ]);
    const mask = tf.tensor2d([[1, 1, 0]]);
    // token errors: (1+0)/2 = 0.5; (4)/1 = 4; unmasked token ignored → mean over masked = 2.25
    const l = maskedReconstructionLoss(pred, target, observed, mask);
    expect(Math.abs((await l.data())[0]! - 2.25)).toBeLessThan(tol.atol + tol.rtol * 2.25);
    tf.dispose([pred, target, observed, mask, l]);
  });
});

describe('encoders on simulated spectra', () => {
  let pairs: SpectrumPairs;
  beforeAll(async () => {
    await ready({ backend: 'wasm' });
    pairs = simulatePairs(await loadPayne(), await loadMist(), { n: 96, seed: 11, stride: 36 });
  });
  it('SpectrumTransformer gives [B, T+1, dim] tokens, learns by masked modelling, and leaks no tensors', async () => {
    const layout = patchLayout(pairs.highPixels);
    const enc = new SpectrumTransformer({ layout, dim: 32, depth: 1, heads: 2, seed: 1 });
    const x = patchify(pairs.high.subarray(0, 4 * pairs.highPixels), layout);
    const tokens = enc.forward(x.patches, x.logStd);
    expect(tokens.shape).toEqual([4, layout.tokens + 1, 32]);
    expect(() => enc.forward(tf.zeros([1, layout.tokens + 1, 20]) as tf.Tensor3D, x.logStd)).toThrow(ShapeError);
    tf.dispose([tokens, x.patches, x.observed, x.logStd]);
    const before = tf.memory().numTensors;
    // noise-free spectra: what is learnable is the line pattern, so the loss must fall well below 1
    const hist = await pretrainMasked(enc, pairs.highClean, { epochs: 20, batchSize: 16, lr: 3e-3, seed: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(hist[hist.length - 1]!).toBeLessThan(0.25 * hist[0]!);
    enc.dispose();
  });
  it('XpAutoencoder reconstructs noise-free low-resolution views after pre-training', async () => {
    const ae = new XpAutoencoder({ inputs: 110, hidden: [64], latent: 8, seed: 3 });
    // standardise each feature (the simulator's low-res view is in flux units near 1)
    const F = 110;
    const n = pairs.n;
    const x = new Float32Array(pairs.low.length);
    for (let j = 0; j < F; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += pairs.lowClean[i * F + j]! / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (pairs.lowClean[i * F + j]! - m) ** 2 / n;
      for (let i = 0; i < n; i++) x[i * F + j] = (pairs.lowClean[i * F + j]! - m) / Math.sqrt(v);
    }
    const hist = await pretrainAutoencoder(ae, x, { epochs: 40, batchSize: 32, lr: 3e-3, seed: 4 });
    expect(hist[0]!).toBeGreaterThan(0.5); // ≈ unit variance at the start
    expect(hist[hist.length - 1]!).toBeLessThan(0.25 * hist[0]!);
    expect(() => ae.forward(tf.zeros([2, 109]) as tf.Tensor2D)).toThrow(ShapeError);
    ae.dispose();
  });
});
