import { describe, expect, it } from 'vitest';
import { ready, tf, useWasmKernels } from '../src/index.js';
import { fusedLayerNorm, fusedKernelActive } from '../src/nn/index.js';

// core's fused layer-norm kernels on wasm against a float64 forward/backward computed here and
// against tfjs's own composition (useWasmKernels('tfjs')), with and without the affine terms;
// the same op on the cpu backend runs the composition and must agree too.

function rand(n: number, seed: number, scale = 1, shift = 0): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * scale + shift;
  });
}

/** float64 y and gradients of L = Σ w·y for y = layer_norm(x)·γ + β. */
function reference(x: Float32Array, g: Float32Array, b: Float32Array, w: Float32Array, d: number, eps: number) {
  const rows = x.length / d;
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  const dg = new Float64Array(d);
  const db = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    let mu = 0;
    for (let j = 0; j < d; j++) mu += x[r * d + j]!;
    mu /= d;
    let v = 0;
    for (let j = 0; j < d; j++) v += (x[r * d + j]! - mu) ** 2;
    v /= d;
    const rs = 1 / Math.sqrt(v + eps);
    const xh = Array.from({ length: d }, (_, j) => (x[r * d + j]! - mu) * rs);
    const gg = Array.from({ length: d }, (_, j) => w[r * d + j]! * g[j]!);
    const mg = gg.reduce((a, c) => a + c, 0) / d;
    const mgx = gg.reduce((a, c, j) => a + c * xh[j]!, 0) / d;
    for (let j = 0; j < d; j++) {
      y[r * d + j] = xh[j]! * g[j]! + b[j]!;
      dx[r * d + j] = rs * (gg[j]! - mg - xh[j]! * mgx);
      dg[j] = dg[j]! + w[r * d + j]! * xh[j]!;
      db[j] = db[j]! + w[r * d + j]!;
    }
  }
  return { y, dx, dg, db };
}

const maxErr = (got: ArrayLike<number>, want: ArrayLike<number>): number => {
  let e = 0;
  for (let i = 0; i < want.length; i++) e = Math.max(e, Math.abs(got[i]! - want[i]!));
  return e;
};

describe('fused layer norm', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`matches float64 forward and gradients on ${backend}`, async () => {
      await ready({ backend, strict: true });
      expect(fusedKernelActive('AstroLayerNorm')).toBe(backend === 'wasm');
      const [rows, d, eps] = [37, 24, 1e-5];
      const xv = rand(rows * d, 1, 6, 0.7);
      const gv = rand(d, 2, 1, 1);
      const bv = rand(d, 3);
      const wv = rand(rows * d, 4, 2);
      const want = reference(xv, gv, bv, wv, d, eps);
      const x = tf.tensor3d(xv, [rows, 1, d]);
      const g = tf.tensor1d(gv);
      const b = tf.tensor1d(bv);
      const w = tf.tensor3d(wv, [rows, 1, d]);
      const f = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(fusedLayerNorm(xx, gg, bb, eps), w)) as tf.Scalar;
      const y = fusedLayerNorm(x, g, b, eps);
      const [dx, dg, db] = tf.grads(f)([x, g, b]);
      expect(maxErr(await y.data(), want.y)).toBeLessThan(2e-6);
      expect(maxErr(await dx!.data(), want.dx)).toBeLessThan(2e-5);
      expect(maxErr(await dg!.data(), want.dg)).toBeLessThan(2e-5);
      expect(maxErr(await db!.data(), want.db)).toBeLessThan(2e-5);
      tf.dispose([x, g, b, w, y, dx!, dg!, db!]);
    });
  }

  it('agrees with tfjs-wasm’s composition with and without gain/shift, and leaks no tensors', async () => {
    await ready({ backend: 'wasm', strict: true });
    const x = tf.tensor2d(rand(9 * 130, 5, 3), [9, 130]);
    const g = tf.tensor1d(rand(130, 6, 1, 1));
    const b = tf.tensor1d(rand(130, 7));
    const w = tf.tensor2d(rand(9 * 130, 8), [9, 130]);
    for (const [gg, bb] of [
      [g, b],
      [g, null],
      [null, null],
    ] as const) {
      const inputs = [x, ...(gg ? [gg] : []), ...(bb ? [bb] : [])];
      const run = (): Float32Array[] => {
        const before = tf.memory().numTensors;
        const out = tf.tidy(() => {
          const f = (...t: tf.Tensor[]) =>
            tf.sum(tf.mul(fusedLayerNorm(t[0]!, gg ? t[1]! : null, bb ? t[2]! : null, 1e-5), w)) as tf.Scalar;
          return [fusedLayerNorm(x, gg, bb, 1e-5), ...tf.grads(f)(inputs)];
        });
        const data = out.map((t) => t.dataSync() as Float32Array);
        tf.dispose(out);
        expect(tf.memory().numTensors).toBe(before);
        return data;
      };
      useWasmKernels('auto');
      const ours = run();
      useWasmKernels('tfjs');
      const theirs = run();
      useWasmKernels('auto');
      expect(ours.length).toBe(1 + inputs.length);
      ours.forEach((o, i) => expect(maxErr(o, theirs[i]!), `output ${i}, gain ${Boolean(gg)}, shift ${Boolean(bb)}`).toBeLessThan(3e-5));
    }
    tf.dispose([x, g, b, w]);
  });
});
