import { describe, expect, it, beforeAll } from 'vitest';
import { tf, ready, ShapeError, ValueError } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import {
  clipLoss,
  SPECCLIP_LOGIT_SCALE,
  SpecClip,
  fitClip,
  retrievalAccuracy,
  SpectrumTransformer,
  XpAutoencoder,
  patchLayout,
  loadPayne,
  loadMist,
  simulatePairs,
  AttentionPooling,
} from '../src/index.js';
import ref from './fixtures/reference.json';

await describeBackends('symmetric InfoNCE', ({ tol }) => {
  it('matches PyTorch cross-entropy CLIP loss and its gradient', async () => {
    for (const c of ref.infonce) {
      const a = tf.tensor2d(c.a, [c.n, c.dim]);
      const b = tf.tensor2d(c.b, [c.n, c.dim]);
      const loss = clipLoss(a, b, c.scale);
      expect(Math.abs((await loss.data())[0]! - c.loss)).toBeLessThan(tol.atol + tol.rtol * c.loss);
      const g = tf.grad((x: tf.Tensor) => clipLoss(x as tf.Tensor2D, b, c.scale))(a);
      const gd = await g.data(); // async: webgpu in Node has no synchronous readback
      c.grad_a.forEach((v, i) => expect(Math.abs(gd[i]! - v)).toBeLessThan(10 * (tol.atol + tol.rtol * Math.abs(v))));
      tf.dispose([a, b, loss, g]);
    }
  });
  it('is log B for identical-embedding batches at scale 0 and rejects mismatched shapes', async () => {
    const a = tf.randomNormal([8, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const l = clipLoss(a, a, 0);
    expect(Math.abs((await l.data())[0]! - Math.log(8))).toBeLessThan(1e-5);
    expect(() => clipLoss(a, tf.zeros([7, 4]) as tf.Tensor2D)).toThrow(ShapeError);
    expect(() => clipLoss(tf.zeros([1, 4]) as tf.Tensor2D, tf.zeros([1, 4]) as tf.Tensor2D)).toThrow(ShapeError);
    tf.dispose([a, l]);
  });
});

describe('SpecClip alignment and retrieval on simulated pairs', () => {
  beforeAll(async () => {
    await ready({ backend: 'wasm' });
  });
  it('aligns the two instruments so held-out pairs retrieve each other far above chance', async () => {
    const pairs = simulatePairs(await loadPayne(), await loadMist(), { n: 320, seed: 21, stride: 36 });
    const F = pairs.lowPixels;
    const P = pairs.highPixels;
    // per-feature standardisation of the low-resolution view, from the training rows
    const nTrain = 256;
    const low = new Float32Array(pairs.low.length);
    for (let j = 0; j < F; j++) {
      let m = 0;
      let v = 0;
      for (let i = 0; i < nTrain; i++) m += pairs.low[i * F + j]! / nTrain;
      for (let i = 0; i < nTrain; i++) v += (pairs.low[i * F + j]! - m) ** 2 / nTrain;
      for (let i = 0; i < pairs.n; i++) low[i * F + j] = (pairs.low[i * F + j]! - m) / Math.sqrt(v);
    }
    const high = new SpectrumTransformer({ layout: patchLayout(P), dim: 32, depth: 1, heads: 2, seed: 5 });
    const lowEnc = new XpAutoencoder({ hidden: [64], latent: 16, seed: 6 });
    const model = new SpecClip(high, lowEnc, { embedDim: 16, seed: 7, logitScale: 'learnable' });
    expect(model.logitScale()).toBeCloseTo(SPECCLIP_LOGIT_SCALE, 4);
    const before = tf.memory().numTensors;
    const hist = await fitClip(model, pairs.high.subarray(0, nTrain * P), low.subarray(0, nTrain * F), {
      epochs: 12,
      batchSize: 32,
      lr: 3e-3,
      seed: 8,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(hist[hist.length - 1]!).toBeLessThan(0.6 * hist[0]!);
    expect(model.logitScale()).not.toBeCloseTo(SPECCLIP_LOGIT_SCALE, 3); // the scale was trained
    expect(await model.logitScaleAsync()).toBe(model.logitScale());
    const zh = model.embedHigh(pairs.high.subarray(nTrain * P));
    const zl = model.embedLow(tf.tensor2d(low.subarray(nTrain * F), [pairs.n - nTrain, F]));
    const r = await retrievalAccuracy(zl, zh, 5);
    // far above chance (top-1 = 1/64, top-5 = 5/64), as binomial probabilities of doing as well by
    // chance over the 64 held-out pairs: top-5 below 1e-4; top-1 (noisier: many simulated stars are
    // near-duplicates within the noise, see the README) below 1e-2
    const n = pairs.n - nTrain;
    console.log(
      `SpecClip held-out retrieval: top-1 ${r.top1} (${Math.round(r.top1 * n)}/${n}), top-5 ${r.topK} (${Math.round(r.topK * n)}/${n})`,
    );
    expect(binomialTail(n, 1 / n, Math.round(r.top1 * n))).toBeLessThan(1e-2);
    expect(binomialTail(n, 5 / n, Math.round(r.topK * n))).toBeLessThan(1e-4);
    tf.dispose([zh, zl]);
    expect(() => model.embedHigh(new Float32Array(P + 1))).toThrow(ShapeError);
    await expect(fitClip(model, pairs.high.subarray(0, 4 * P), low.subarray(0, 5 * F), { epochs: 1 })).rejects.toThrow(ShapeError);
    expect(() => new SpecClip(high, lowEnc, { logitScale: 'x' as 'fixed' })).toThrow(ValueError);
    model.dispose();
  });
  it('attention pooling of identical tokens returns the projection of that token', () => {
    const pool = new AttentionPooling(4, 3, 1);
    const tok = tf.tensor3d([
      [
        [1, 2, 3, 4],
        [1, 2, 3, 4],
        [1, 2, 3, 4],
      ],
    ]);
    const one = tf.tensor2d([[1, 2, 3, 4]]);
    const a = pool.forward(tok);
    const b = pool.proj.forward(one);
    a.dataSync().forEach((v, i) => expect(v).toBeCloseTo(b.dataSync()[i]!, 5));
    tf.dispose([tok, one, a, b]);
    pool.dispose();
  });
});

/** P(X ≥ k) for X ~ Binomial(n, p), summed in float64. */
function binomialTail(n: number, p: number, k: number): number {
  let term = (1 - p) ** n; // P(X = 0)
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return Math.max(0, 1 - below);
}
