import { expect, it } from 'vitest';
import { ShapeError, ValueError, tf } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import {
  LightCurveGPT,
  concatWindows,
  embedWindows,
  evaluateNextPatchLoss,
  maskedHuber,
  nextPatchLoss,
  patchify,
  pretrain,
  simulateStar,
  whiteNoiseFloor,
} from '../../src/index.js';

/** Closed-form parameter count: MLP embed, positions, blocks (attn 4d²+4d, MLP 8d²+5d, 2 LN 4d), final LN, head. */
function expectedParams(P: number, T: number, d: number, L: number): number {
  const embed = (P + 1) * d + d + d * d + d;
  const block = 4 * d * d + 4 * d + (d * 4 * d + 4 * d) + (4 * d * d + d) + 4 * d;
  return embed + T * d + L * block + 2 * d + (d * P + P);
}

await describeBackends(
  'LightCurveGPT',
  ({ tol }) => {
    it('has the closed-form parameter count and is causal (no token sees the future)', () => {
      const m = new LightCurveGPT({ patchSize: 8, maxPatches: 6, dim: 16, layers: 2, heads: 2, seed: 1 });
      expect(m.numParameters()).toBe(expectedParams(8, 6, 16, 2));
      const f = tf.randomNormal([2, 6, 8], 0, 1, 'float32', 3);
      const t = tf.tile(tf.reshape(tf.range(0, 6), [1, 6]), [2, 1]);
      const h1 = m.predictNext(f, t);
      // Change only patch 4: predictions at positions 0..3 must not move.
      const f2 = tf.concat([tf.slice(f, [0, 0, 0], [2, 4, 8]), tf.add(tf.slice(f, [0, 4, 0], [2, 2, 8]), 5)], 1);
      const h2 = m.predictNext(f2, t);
      const a = tf.slice(h1, [0, 0, 0], [2, 4, 8]).arraySync() as number[][][];
      const b = tf.slice(h2, [0, 0, 0], [2, 4, 8]).arraySync() as number[][][];
      expect(
        a
          .flat(2)
          .map((v, i) => Math.abs(v - b.flat(2)[i]!))
          .every((d) => d <= tol.atol),
      ).toBe(true);
      const late = tf.max(tf.abs(tf.sub(tf.slice(h1, [0, 4, 0], [2, 1, 8]), tf.slice(h2, [0, 4, 0], [2, 1, 8])))).dataSync()[0]!;
      expect(late).toBeGreaterThan(1e-3);
      expect(() => m.predictNext(tf.zeros([1, 7, 8]), tf.zeros([1, 7]))).toThrow(/exceed the context of 6/);
      expect(() => new LightCurveGPT({ patchSize: 8, maxPatches: 6, dim: 15, layers: 1, heads: 2 })).toThrow(ValueError);
      tf.dispose([f, t, h1, f2, h2]);
      m.dispose();
    });

    it('builds a ≥ 1e7-parameter configuration (closed-form count) and runs a forward pass', async () => {
      // dim 512 × 4 layers: 4·(12·512² + 13·512) + embedding, positions, head = 12 650 016 parameters.
      const m = new LightCurveGPT({ patchSize: 16, maxPatches: 64, dim: 512, layers: 4, heads: 8, seed: 1 });
      expect(m.numParameters()).toBe(expectedParams(16, 64, 512, 4));
      expect(m.numParameters()).toBeGreaterThanOrEqual(1e7);
      const f = tf.randomNormal([2, 8, 16], 0, 1, 'float32', 4);
      const t = tf.tile(tf.reshape(tf.range(0, 8), [1, 8]), [2, 1]);
      const y = m.predictNext(f, t);
      expect(y.shape).toEqual([2, 8, 16]);
      const v = await y.data();
      expect(Array.from(v).every(Number.isFinite)).toBe(true);
      // A 12.6M-parameter network at initialisation still gives O(1) outputs (pre-norm, final LayerNorm).
      expect(Math.max(...Array.from(v, Math.abs))).toBeLessThan(20);
      tf.dispose([f, t, y]);
      m.dispose();
    });

    it('masked Huber matches its closed form', () => {
      const p = tf.tensor1d([0, 0, 0, 0]);
      const y = tf.tensor1d([0.5, -3, 2, 10]);
      const mask = tf.tensor1d([1, 1, 1, 0]);
      // δ = 1: ½·0.25, 1·(3 − ½), 1·(2 − ½); the masked 10 is ignored.
      expect(maskedHuber(p, y, mask).dataSync()[0]).toBeCloseTo((0.125 + 2.5 + 1.5) / 3, 5);
      tf.dispose([p, y, mask]);
    });

    it('pre-training on simulated stars lowers the loss below the predict-the-median baseline and leaks no tensors', async () => {
      const stars = [2.6, 2.9, 3.2].map((logg, i) => simulateStar({ logg, durationDays: 40, seed: 100 + i }));
      const w = stars.map((s) => patchify(s, { patchSize: 16, numPatches: 8, maxWindows: 12 }));
      const all = concatWindows(w);
      const m = new LightCurveGPT({ patchSize: 16, maxPatches: 8, dim: 32, layers: 2, heads: 4, seed: 2 });
      const before = tf.memory().numTensors;
      const losses = await pretrain(m, all, { steps: 60, batchSize: 12, lr: 3e-3, seed: 1 });
      expect(losses.length).toBe(60);
      expect(tf.memory().numTensors).toBe(before);
      const first = losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
      const last = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
      expect(last).toBeLessThan(0.8 * first);
      // Baseline: predicting 0 (each star's median) for every next patch.
      const idx = Array.from({ length: all.windows }, (_, i) => i);
      const T = all.numPatches;
      const P = all.patchSize;
      const zero = tf.tidy(() => {
        const y = tf.slice(tf.tensor3d(all.flux, [all.windows, T, P]), [0, 1, 0], [all.windows, T - 1, P]);
        const mk = tf.slice(tf.tensor3d(all.mask, [all.windows, T, P]), [0, 1, 0], [all.windows, T - 1, P]);
        return maskedHuber(tf.zerosLike(y), y, mk).dataSync()[0]!;
      });
      const trained = await evaluateNextPatchLoss(m, all);
      const l = nextPatchLoss(m, all, idx);
      expect((await l.data())[0]).toBeCloseTo(trained, 5);
      l.dispose();
      // The loss no model can beat: the simulator's 40-ppm white noise in each star's standardised units.
      const floor = whiteNoiseFloor(w.flatMap((x, i) => Array.from(x.fluxScale!, (s) => stars[i]!.whiteNoisePpm / s)));
      // The floor is far below both: most of the next 7.8-h patch of granulation is unpredictable from the past.
      expect(trained).toBeGreaterThan(floor);
      expect(trained - floor).toBeLessThan(0.95 * (zero - floor));
      const emb = await embedWindows(m, all);
      expect(emb.length).toBe(all.windows * 32);
      expect(Array.from(emb).every(Number.isFinite)).toBe(true);
      m.dispose();
    });
  },
  { backends: ['wasm'] },
);

it('patchify rejects a series shorter than the context', () => {
  const s = simulateStar({ logg: 3, durationDays: 2, seed: 1 });
  expect(() => patchify(s, { patchSize: 80, numPatches: 10 })).toThrow(ShapeError);
  expect(() => patchify(s, { patchSize: 80, numPatches: 10 })).toThrow(/shorter than the context of 10 patches × 80 = 800 cadences/);
});
