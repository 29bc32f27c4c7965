// Shared pieces of the train tests: a synthetic regression problem and a model with a
// reseedable stochastic layer (to check that resumed runs reproduce masks exactly).
import { tf } from '../../src/index.js';
import { Module } from '../../src/nn/index.js';
import { Rng } from '../../src/train/index.js';
import type { TrainingCheckpoint } from '../../src/train/index.js';
import { TinyLinear } from '../optim/tiny-mlp.js';

/** y = [sin(x0) + x1·x2, x0 − x2²] on n seeded points in [−1, 1]³. */
export function regression(n: number, seed: number): { x: number[][]; y: number[][] } {
  const r = new Rng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const v = [0, 1, 2].map(() => (r.nextUint32() / 2 ** 32) * 2 - 1) as [number, number, number];
    x.push(v);
    y.push([Math.sin(v[0]) + v[1] * v[2], v[0] - v[2] * v[2]]);
  }
  return { x, y };
}

/** Multiplies by a random keep-mask (p = 0.2, inverted scaling) drawn from a reseedable stream. */
export class Mask extends Module {
  private rng = new Rng(7);
  reseed(seed: number): void {
    this.rng = new Rng(seed);
  }
  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training) return x;
    const m = new Float32Array(x.size);
    for (let i = 0; i < m.length; i++) m[i] = this.rng.nextUint32() / 2 ** 32 >= 0.2 ? 1.25 : 0;
    return tf.tidy(() => tf.mul(x, tf.tensor(m, x.shape)));
  }
}

/** fc2(mask(tanh(fc1(x)))), 3 → 16 → 2. */
export class MaskedMLP extends Module {
  readonly fc1 = this.child('fc1', new TinyLinear(3, 16, 11));
  readonly drop = this.child('drop', new Mask());
  readonly fc2 = this.child('fc2', new TinyLinear(16, 2, 12));
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fc2.forward(this.drop.forward(tf.tanh(this.fc1.forward(x)))));
  }
}

/** Deep copy of a checkpoint (fit disposes the one it hands to `save`). */
export function cloneCheckpoint(c: TrainingCheckpoint): TrainingCheckpoint {
  return {
    meta: structuredClone(c.meta),
    tensors: Object.fromEntries(Object.entries(c.tensors).map(([k, t]) => [k, t.clone()])),
  };
}

/** Every parameter's values, by name. */
export async function weightsOf(m: Module): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [n, v] of m.namedParameters()) out[n] = (await v.data()) as Float32Array;
  return out;
}
