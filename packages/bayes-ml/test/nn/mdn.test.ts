import { expect, it } from 'vitest';
import { ShapeError, ValueError, tf } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import { MixtureDensityNetwork, Rng, mixtureLogPdf } from '../../src/index.js';

await describeBackends(
  'MixtureDensityNetwork',
  () => {
    it('K = 1 learns a heteroscedastic Gaussian: σ(x) = 0.05 + 0.2x within 25%, mean within 0.05', async () => {
      const rng = new Rng(1);
      const n = 400;
      const x = Float64Array.from({ length: n }, () => rng.uniform());
      const sd = (v: number): number => 0.05 + 0.2 * v;
      const f = (v: number): number => Math.sin(2 * Math.PI * v);
      const y = Float64Array.from(x, (v) => f(v) + sd(v) * rng.normal());
      const before = tf.memory().numTensors;
      const mdn = new MixtureDensityNetwork({ inputDim: 1, nComponents: 1, hidden: [16, 16], seed: 3 });
      const losses = await mdn.fit(x, y, { epochs: 300, lr: 1e-2, seed: 2 });
      expect(losses[299]!).toBeLessThan(losses[0]! - 1);
      const grid = [0.15, 0.5, 0.85];
      const { mean, variance } = mdn.predictMeanVar(grid);
      grid.forEach((g, i) => {
        expect(Math.abs(mean[i]! - f(g))).toBeLessThan(0.05 + 0.5 * sd(g));
        expect(Math.abs(Math.sqrt(variance[i]!) / sd(g) - 1)).toBeLessThan(0.25);
      });
      mdn.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it('K = 3 captures the multimodal inverse problem of Bishop (1994) far better than K = 1', async () => {
      // y ~ U(0,1), x = y + 0.3 sin(2πy) + U(−0.1, 0.1); predict y from x (multi-valued).
      const rng = new Rng(5);
      const make = (n: number): { x: Float64Array; y: Float64Array } => {
        const y = Float64Array.from({ length: n }, () => rng.uniform());
        const x = Float64Array.from(y, (v) => v + 0.3 * Math.sin(2 * Math.PI * v) + 0.2 * (rng.uniform() - 0.5));
        return { x, y };
      };
      const train = make(600);
      const test = make(300);
      const nll = async (K: number): Promise<number> => {
        const mdn = new MixtureDensityNetwork({ inputDim: 1, nComponents: K, hidden: [24, 24], seed: 1 });
        await mdn.fit(train.x, train.y, { epochs: 400, lr: 1e-2, seed: 1 });
        const lp = mdn.logProb(test.x, test.y);
        // logProb is the float64 mixture density of the predicted parameters.
        const p = mdn.predict(test.x);
        expect(Array.from(mixtureLogPdf(p, test.y))).toEqual(Array.from(lp));
        for (let i = 0; i < p.n; i++) {
          let w = 0;
          for (let k = 0; k < K; k++) w += p.weights[i * K + k]!;
          expect(w).toBeCloseTo(1, 5);
        }
        mdn.dispose();
        return -lp.reduce((a, b) => a + b, 0) / lp.length;
      };
      const one = await nll(1);
      const three = await nll(3);
      expect(three).toBeLessThan(one - 0.3);
    });

    it('rejects bad input', async () => {
      const mdn = new MixtureDensityNetwork({ inputDim: 2, nComponents: 2 });
      expect(() => mdn.predict([[0, 1]])).toThrow(/fit\(\) first/);
      await expect(mdn.fit([[0, 1], [1, 2]], [1])).rejects.toThrow(ShapeError);
      await expect(mdn.fit([0, 1, 2], [1])).rejects.toThrow(ShapeError);
      await expect(mdn.fit([[0, NaN], [1, 2]], [1, 2])).rejects.toThrow(ValueError);
      expect(() => new MixtureDensityNetwork({ inputDim: 1, nComponents: 0 })).toThrow(ValueError);
      mdn.dispose();
    });
  },
  // wasm only: the cpu backend runs the same tfjs kernels ~3× slower and adds nothing here.
  { backends: ['wasm'] },
);
