import { it, expect } from 'vitest';
import { tf } from '../src/index.js';
import { describeBackends, compareClose } from '../src/testing/index.js';

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function matmulRef(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      for (let j = 0; j < n; j++) c[i * n + j]! += aip * b[p * n + j]!;
    }
  return c;
}

await describeBackends('core ops', ({ backend, tol }) => {
  it('matMul matches a float64 reference', async () => {
    const [m, k, n] = [37, 64, 29];
    const a = values(m * k, 1);
    const b = values(k * n, 2);
    const c = tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n]));
    const r = compareClose(await c.data(), matmulRef(a, b, m, k, n), { atol: tol.atol * 10, rtol: tol.rtol * 10 });
    expect(r.ok, r.message).toBe(true);
    expect(tf.getBackend()).toBe(backend);
  });

  it('softmax rows sum to one and match the closed form', async () => {
    const x = values(5 * 7, 3).map((v) => v * 5);
    const y = await tf.softmax(tf.tensor2d(x, [5, 7])).data();
    const ref = new Float64Array(35);
    for (let r = 0; r < 5; r++) {
      let mx = -Infinity;
      for (let j = 0; j < 7; j++) mx = Math.max(mx, x[r * 7 + j]!);
      let s = 0;
      for (let j = 0; j < 7; j++) s += Math.exp(x[r * 7 + j]! - mx);
      for (let j = 0; j < 7; j++) ref[r * 7 + j] = Math.exp(x[r * 7 + j]! - mx) / s;
    }
    const rep = compareClose(y, ref, tol);
    expect(rep.ok, rep.message).toBe(true);
  });

  it('gradient of sum(x^2 * w) is 2 x w', async () => {
    const x = tf.tensor1d(values(16, 4));
    const w = tf.tensor1d(values(16, 5));
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.square(t), w)))(x);
    const xv = await x.data();
    const wv = await w.data();
    const ref = Array.from(xv, (v, i) => 2 * v * wv[i]!);
    const rep = compareClose(await g.data(), ref, tol);
    expect(rep.ok, rep.message).toBe(true);
  });

  it('reductions and erf agree with float64', async () => {
    const x = values(1000, 6);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const t = tf.tensor1d(x);
    expect(Math.abs((await tf.mean(t).data())[0]! - mean)).toBeLessThan(1e-5);
    const e = await tf.erf(tf.tensor1d([-2, -0.5, 0, 0.3, 1.5])).data();
    const ref = [-0.9953222650189527, -0.5204998778130465, 0, 0.3286267594591112, 0.9661051464753108];
    const rep = compareClose(e, ref, { atol: 2e-6, rtol: 0 });
    expect(rep.ok, rep.message).toBe(true);
  });
});
