import { describe, expect, it, beforeAll } from 'vitest';
import { tf, ready, ValueError } from '@astro/core';
import {
  SpecClip,
  fitClip,
  retrievalAccuracy,
  SpectrumTransformer,
  XpAutoencoder,
  patchLayout,
  loadPayne,
  loadMist,
  simulatePairs,
  zscore,
  encodeSpecclipModel,
  decodeSpecclipModel,
} from '../src/index.js';

describe('SpecClip with decoders trained jointly with the contrastive loss', () => {
  beforeAll(async () => {
    await ready({ backend: 'wasm' });
  });

  const variants = [
    { name: 'split variant (16 shared + 8 private dims)', privateDim: 8 },
    { name: 'joint decoders on a shared-only embedding', privateDim: 0 },
  ];
  for (const v of variants) {
    it(`${v.name}: contrastive and reconstruction losses fall, cross-prediction beats the mean spectrum`, async () => {
      const pairs = simulatePairs(await loadPayne(), await loadMist(), { n: 320, seed: 31, stride: 36 });
      const F = pairs.lowPixels;
      const P = pairs.highPixels;
      const nTrain = 256;
      const nTest = pairs.n - nTrain;
      const low = new Float32Array(pairs.low.length);
      for (let j = 0; j < F; j++) {
        let m = 0;
        let s = 0;
        for (let i = 0; i < nTrain; i++) m += pairs.low[i * F + j]! / nTrain;
        for (let i = 0; i < nTrain; i++) s += (pairs.low[i * F + j]! - m) ** 2 / nTrain;
        for (let i = 0; i < pairs.n; i++) low[i * F + j] = (pairs.low[i * F + j]! - m) / Math.sqrt(s);
      }
      const model = new SpecClip(
        new SpectrumTransformer({ layout: patchLayout(P), dim: 32, depth: 1, heads: 2, seed: 5 }),
        new XpAutoencoder({ hidden: [64], latent: 16, seed: 6 }),
        { embedDim: 16, privateDim: v.privateDim, decoders: { hidden: [64], cross: true }, seed: 7 },
      );
      const terms: { contrastive: number; reconstruction: number }[] = [];
      const before = tf.memory().numTensors;
      await fitClip(model, pairs.high.subarray(0, nTrain * P), low.subarray(0, nTrain * F), {
        epochs: 10,
        batchSize: 32,
        lr: 3e-3,
        seed: 8,
        reconstructionWeight: 1,
        onProgress: (p, t) => {
          if (p.phase === 'epoch') terms.push(t);
        },
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(terms.at(-1)!.contrastive).toBeLessThan(0.7 * terms[0]!.contrastive);
      expect(terms.at(-1)!.reconstruction).toBeLessThan(0.85 * terms[0]!.reconstruction);

      // held-out: the shared embeddings retrieve each other; the low-resolution shared embedding predicts
      // the noise-free high-resolution z-scored spectrum better than the training-mean z-spectrum does
      const xTest = tf.tensor2d(low.subarray(nTrain * F), [nTest, F]);
      const zh = model.embedHigh(pairs.high.subarray(nTrain * P));
      const zl = model.embedLow(xTest);
      expect(zh.shape).toEqual([nTest, 16]);
      const raw = model.embedLowRaw(xTest);
      expect(raw.shape).toEqual([nTest, 16 + v.privateDim]);
      const r = await retrievalAccuracy(zl, zh, 5);
      expect(r.topK).toBeGreaterThan(3 * (5 / nTest));
      const zTrain = zscore(pairs.high.subarray(0, nTrain * P), P).z;
      const zTest = zscore(pairs.highClean.subarray(nTrain * P), P).z;
      const mean = new Float64Array(P);
      for (let i = 0; i < nTrain; i++) for (let j = 0; j < P; j++) mean[j] = mean[j]! + zTrain[i * P + j]! / nTrain;
      const pred = model.predictHighFromLow(xTest);
      const p = await pred.data();
      let se = 0;
      let seBase = 0;
      for (let i = 0; i < nTest * P; i++) {
        se += (p[i]! - zTest[i]!) ** 2;
        seBase += (mean[i % P]! - zTest[i]!) ** 2;
      }
      expect(Math.sqrt(se / seBase)).toBeLessThan(0.85); // seeded runs give 0.75 (split) and 0.76 (joint)
      // the decoders travel with the model's weights
      const again = decodeSpecclipModel(await encodeSpecclipModel(model), 'SpecClip');
      const pred2 = again.predictHighFromLow(xTest);
      expect(Array.from(await pred2.data())).toEqual(Array.from(p));
      tf.dispose([xTest, zh, zl, raw, pred, pred2]);
      again.dispose();
      model.dispose();
    });
  }

  it('asks for decoders before cross-predicting and rejects a negative private width', () => {
    const high = new SpectrumTransformer({ layout: patchLayout(40), dim: 16, depth: 1, heads: 2, seed: 1 });
    const lowEnc = new XpAutoencoder({ inputs: 10, hidden: [8], latent: 4, seed: 2 });
    const plain = new SpecClip(high, lowEnc, { embedDim: 4 });
    const x = tf.zeros([2, 10]) as tf.Tensor2D;
    expect(() => plain.predictHighFromLow(x)).toThrow(ValueError);
    expect(() => new SpecClip(high, lowEnc, { privateDim: -1 })).toThrow(ValueError);
    x.dispose();
    plain.dispose();
  });
});
