import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ValueError, tf } from '@astro/core';
import { compareClose, describeBackends } from '@astro/core/testing';
import { LightCurveGPT, applyRotary, rotaryTables, type LightCurveGPTConfig } from '../../src/index.js';

interface Arr {
  shape: number[];
  data: number[];
}
/** Written by tools/fixtures/lightcurve_rope.py (PyTorch, float64). */
const fx = JSON.parse(readFileSync(new URL('../fixtures/rope_torch.json', import.meta.url), 'utf8')) as {
  config: LightCurveGPTConfig;
  stateDict: Record<string, Arr>;
  flux: Arr;
  timeDays: Arr;
  hidden: number[];
  predictNext: number[];
};

await describeBackends(
  'LightCurveGPT rotary positions',
  ({ tol }) => {
    it('matches PyTorch RoPE attention (hidden states and next-patch predictions)', async () => {
      const m = new LightCurveGPT({ ...fx.config, seed: 5 });
      const sd = Object.fromEntries(Object.entries(fx.stateDict).map(([n, a]) => [n, tf.tensor(a.data, a.shape)]));
      m.loadStateDict(sd);
      tf.dispose(Object.values(sd));
      expect(m.namedParameters().some(([n]) => n.startsWith('pos'))).toBe(false);
      const flux = tf.tensor(fx.flux.data, fx.flux.shape);
      const time = tf.tensor(fx.timeDays.data, fx.timeDays.shape);
      const h = m.forward(flux, time);
      const p = m.predictNext(flux, time);
      const hr = compareClose(await h.data(), fx.hidden, { atol: 5 * tol.atol, rtol: 5 * tol.rtol });
      const pr = compareClose(await p.data(), fx.predictNext, { atol: 5 * tol.atol, rtol: 5 * tol.rtol });
      expect(hr.ok, hr.message).toBe(true);
      expect(pr.ok, pr.message).toBe(true);
      tf.dispose([flux, time, h, p]);
      m.dispose();
    });

    it('rotated logits depend only on the offset m − n and rotation keeps norms (RoFormer eq. 34)', async () => {
      const T = 7;
      const d = 8;
      const rope = rotaryTables(T, d, 10000);
      // The same query and key vector at every position: R(q)_m·R(k)_n must be a Toeplitz matrix in (m, n).
      const q = tf.tile(tf.randomNormal([1, d], 0, 1, 'float32', 1), [T, 1]);
      const k = tf.tile(tf.randomNormal([1, d], 0, 1, 'float32', 2), [T, 1]);
      const rq = applyRotary(q, rope);
      const rk = applyRotary(k, rope);
      const logits = tf.matMul(rq, rk, false, true);
      const L = (await logits.array()) as number[][];
      for (let m = 1; m < T; m++) for (let n = 1; n < T; n++) expect(Math.abs(L[m]![n]! - L[m - 1]![n - 1]!)).toBeLessThan(10 * tol.atol);
      expect(Math.abs(L[0]![3]! - L[0]![1]!)).toBeGreaterThan(1e-3); // …and does depend on the offset
      const norms = tf.sub(tf.norm(rq, 'euclidean', 1), tf.norm(q, 'euclidean', 1));
      expect(Math.max(...Array.from(await tf.abs(norms).data()))).toBeLessThan(10 * tol.atol);
      // Position 0 is the identity rotation.
      const first = tf.max(tf.abs(tf.sub(tf.slice(rq, [0, 0], [1, d]), tf.slice(q, [0, 0], [1, d]))));
      expect((await first.data())[0]).toBeLessThan(tol.atol);
      tf.dispose([q, k, rq, rk, logits, norms, first, rope.cos, rope.sin]);
    });

    it('stays causal with rotary positions (changing patch 4 leaves predictions 0–3 unchanged)', async () => {
      const m = new LightCurveGPT({ patchSize: 8, maxPatches: 6, dim: 16, layers: 2, heads: 2, positions: 'rotary', seed: 1 });
      const f = tf.randomNormal([2, 6, 8], 0, 1, 'float32', 3);
      const t = tf.tile(tf.reshape(tf.range(0, 6), [1, 6]), [2, 1]);
      const f2 = tf.concat([tf.slice(f, [0, 0, 0], [2, 4, 8]), tf.add(tf.slice(f, [0, 4, 0], [2, 2, 8]), 5)], 1);
      const h1 = m.predictNext(f, t);
      const h2 = m.predictNext(f2, t);
      const early = tf.max(tf.abs(tf.sub(tf.slice(h1, [0, 0, 0], [2, 4, 8]), tf.slice(h2, [0, 0, 0], [2, 4, 8]))));
      const late = tf.max(tf.abs(tf.sub(tf.slice(h1, [0, 4, 0], [2, 1, 8]), tf.slice(h2, [0, 4, 0], [2, 1, 8]))));
      expect((await early.data())[0]).toBeLessThanOrEqual(tol.atol);
      expect((await late.data())[0]).toBeGreaterThan(1e-3);
      tf.dispose([f, t, f2, h1, h2, early, late]);
      m.dispose();
    });
  },
  { backends: ['wasm', 'webgpu'] },
);

it('rotary models have no position table (T·dim fewer parameters) and reject odd head dimensions', () => {
  const learned = new LightCurveGPT({ patchSize: 8, maxPatches: 6, dim: 16, layers: 1, heads: 2, seed: 1 });
  const rotary = new LightCurveGPT({ patchSize: 8, maxPatches: 6, dim: 16, layers: 1, heads: 2, positions: 'rotary', seed: 1 });
  expect(learned.numParameters() - rotary.numParameters()).toBe(6 * 16);
  learned.dispose();
  rotary.dispose();
  expect(() => new LightCurveGPT({ patchSize: 8, maxPatches: 6, dim: 12, layers: 1, heads: 4, positions: 'rotary' })).toThrow(
    /even head dimension, got dim 12 \/ heads 4 = 3/,
  );
  expect(
    () => new LightCurveGPT({ patchSize: 8, maxPatches: 6, dim: 16, layers: 1, heads: 2, positions: 'sinusoidal' as 'rotary' }),
  ).toThrow(ValueError);
  expect(() => rotaryTables(4, 5)).toThrow(ValueError);
});
