import { ValueError, tf } from '@astro/core';
import type { LogProbGrad } from './types.js';

/**
 * Turn a tfjs log-density `(θ: Tensor1D) => Scalar` into a {@link LogProbGrad} using tfjs
 * reverse-mode autodiff (`tf.valueAndGrad`). tfjs computes in float32, so log p and ∇ log p
 * carry ~1e-7 relative error; HMC/NUTS stay exact samplers because the same function is used
 * in the leapfrog and in the Metropolis test. Values are read back asynchronously
 * (`await t.data()`), so it works on every backend, webgpu included. Call `await ready()` first.
 * Leaks no tensors.
 */
export function tfjsLogProbGrad(logProb: (theta: tf.Tensor1D) => tf.Scalar): LogProbGrad {
  const vg = tf.valueAndGrad((t: tf.Tensor) => logProb(t as tf.Tensor1D));
  return async (theta, grad) => {
    const { value, grads } = tf.tidy(() => {
      const r = vg(tf.tensor1d(Array.from(theta), 'float32'));
      return { value: r.value, grads: r.grad };
    });
    let v: number;
    let g: tf.TypedArray;
    try {
      [v, g] = await Promise.all([value.data().then((a) => a[0]!), grads.data()]);
    } finally {
      value.dispose();
      grads.dispose();
    }
    if (g.length !== grad.length) throw new ValueError(`gradient has ${g.length} entries, expected ${grad.length}`);
    for (let i = 0; i < g.length; i++) grad[i] = g[i]!;
    return Number.isNaN(v) ? NaN : v;
  };
}
