import { expect, it } from 'vitest';
import { ValueError, tf } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import { AstroconformerBaseline, concatWindows, patchify, simulateStar } from '../../src/index.js';

await describeBackends(
  'AstroconformerBaseline',
  () => {
    it('learns log g of training windows from scratch (RMSE < half the label spread) without leaking tensors', async () => {
      const loggs = [2.5, 2.8, 3.1];
      const w = loggs.map((logg, i) =>
        patchify(simulateStar({ logg, durationDays: 30, seed: 40 + i }), { patchSize: 16, numPatches: 8, maxWindows: 8 }),
      );
      const all = concatWindows(w);
      const labels = w.flatMap((x, i) => Array<number>(x.windows).fill(loggs[i]!));
      const m = new AstroconformerBaseline({ length: 128, dim: 16, stride: 8, layers: 1, heads: 2, seed: 1 });
      const before = tf.memory().numTensors;
      await m.fit(all, labels, { steps: 120, batchSize: 12, lr: 3e-3, seed: 1 });
      expect(tf.memory().numTensors).toBe(before);
      const p = await m.predict(all);
      const mean = labels.reduce((a, b) => a + b, 0) / labels.length;
      const sd = Math.sqrt(labels.reduce((a, b) => a + (b - mean) ** 2, 0) / labels.length);
      const rmse = Math.sqrt(labels.reduce((a, y, i) => a + (p[i]! - y) ** 2, 0) / labels.length);
      expect(rmse).toBeLessThan(0.5 * sd);
      expect(() => m.forward(tf.zeros([1, 100]))).toThrow(/windows of 100 cadences, built for 128/);
      await expect(m.fit(all, [1, 2], { steps: 1 })).rejects.toThrow(ValueError);
      m.dispose();
    });
  },
  { backends: ['wasm'] },
);
