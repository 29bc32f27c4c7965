import { expect, it } from 'vitest';
import { ValueError, tf } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import { MLPRegressor, Rng } from '../../src/index.js';

await describeBackends(
  'MLPRegressor (deep ensemble)',
  () => {
    it('recovers the noise level in the data range and grows its epistemic uncertainty outside it', async () => {
      const rng = new Rng(11);
      const n = 300;
      const x = Float64Array.from({ length: n }, () => rng.uniform());
      const sd = 0.1;
      const y = Float64Array.from(x, (v) => 2 * v * v + sd * rng.normal());
      const before = tf.memory().numTensors;
      const reg = new MLPRegressor({ inputDim: 1, nMembers: 3, hidden: [16, 16], seed: 1 });
      await reg.fit(x, y, { epochs: 250, lr: 1e-2 });
      const p = await reg.predict([0.3, 0.7, 3]);
      for (const i of [0, 1]) {
        expect(Math.abs(p.mean[i]! - 2 * [0.3, 0.7][i]! ** 2)).toBeLessThan(0.06);
        expect(Math.abs(p.aleatoricStd[i]! / sd - 1)).toBeLessThan(0.3);
        expect(p.epistemicStd[i]!).toBeLessThan(0.05);
      }
      // Far outside the training inputs the members disagree.
      expect(p.epistemicStd[2]!).toBeGreaterThan(5 * Math.max(p.epistemicStd[0]!, p.epistemicStd[1]!));
      expect(p.std[2]! ** 2).toBeCloseTo(p.aleatoricStd[2]! ** 2 + p.epistemicStd[2]! ** 2, 10);
      reg.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(() => new MLPRegressor({ inputDim: 1, nMembers: 0 })).toThrow(ValueError);
    });
  },
  { backends: ['wasm'] },
);
