import { expect, it } from 'vitest';
import { ShapeError, ValueError, tf } from '@astro/core';
import { describeBackends, describeModelContract } from '@astro/core/testing';
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
      const losses = await mdn.fit({ x, y }, { epochs: 300, lr: 1e-2, seed: 2 });
      expect(losses[299]!).toBeLessThan(losses[0]! - 1);
      const grid = [0.15, 0.5, 0.85];
      const { mean, variance } = await mdn.predictMeanVar(grid);
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
        await mdn.fit({ x: train.x, y: train.y }, { epochs: 400, lr: 1e-2, seed: 1 });
        const lp = await mdn.logProb(test.x, test.y);
        // logProb is the float64 mixture density of the predicted parameters.
        const p = await mdn.predict(test.x);
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
      await expect(mdn.predict([[0, 1]])).rejects.toThrow(/fit\(\) first/);
      await expect(
        mdn.fit({
          x: [
            [0, 1],
            [1, 2],
          ],
          y: [1],
        }),
      ).rejects.toThrow(ShapeError);
      await expect(mdn.fit({ x: [0, 1, 2], y: [1] })).rejects.toThrow(ShapeError);
      await expect(
        mdn.fit({
          x: [
            [0, NaN],
            [1, 2],
          ],
          y: [1, 2],
        }),
      ).rejects.toThrow(ValueError);
      await expect(
        mdn.fit(
          {
            x: [
              [0, 1],
              [1, 2],
            ],
            y: [1, 2],
          },
          { epochs: 0 },
        ),
      ).rejects.toThrow(ValueError);
      expect(() => new MixtureDensityNetwork({ inputDim: 1, nComponents: 0 })).toThrow(ValueError);
      mdn.dispose();
    });
  },
  // wasm only: the cpu backend runs the same tfjs kernels ~3× slower and adds nothing here.
  { backends: ['wasm'] },
);

// The house model contract (construct never trains, seeded fit through core's fit, async predict,
// save → load, wrong kind → SchemaError, truncated weights → FormatError, abort → AbortError, no
// leaked tensors). cpu and wasm: the network is core's MLP, and SwiftShader's webgpu would make the
// repeated fits minutes long.
const contractRng = new Rng(4);
const contractX = Array.from({ length: 48 }, () => [contractRng.uniform(), contractRng.uniform()]);
const contractY = contractX.map(([a, b]) => Math.sin(3 * a!) + b! + 0.1 * contractRng.normal());
await describeModelContract({
  name: 'MixtureDensityNetwork',
  kind: '@astro/bayes-ml/MixtureDensityNetwork',
  create: () => new MixtureDensityNetwork({ inputDim: 2, nComponents: 2, hidden: [8], seed: 3 }),
  load: (dir) => MixtureDensityNetwork.load(dir),
  data: () => ({ x: contractX, y: contractY }),
  input: () => [
    [0.1, 0.2],
    [0.5, 0.9],
    [0.8, 0.3],
  ],
  fitOptions: { epochs: 3, seed: 5, batchSize: 16 },
  needsFit: true,
  backends: ['cpu', 'wasm'],
});
