// Analytic gradients of every layer against central finite differences, jointly in the
// input and all parameters, along random directions (float32: relative error < 1e-2).
import { it, expect, beforeAll } from 'vitest';
import { tf, ready } from '../../src/index.js';
import { GELU, LayerNorm, Linear, MLP, RMSNorm, Rng } from '../../src/nn/index.js';
import type { Module } from '../../src/nn/index.js';
import { gradCheck } from './gradcheck.js';

function randn(shape: number[], seed: number, scale = 1): tf.Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => scale * rng.normal()), shape);
}

beforeAll(async () => {
  await ready({ backend: 'cpu', strict: true });
});

async function check(name: string, m: Module & { forward(x: tf.Tensor): tf.Tensor }, x: tf.Tensor, bound = 1e-2) {
  const r = await gradCheck((t) => m.forward(t), x, m.parameters());
  expect(r.worst, `${name}: ${r.detail}`).toBeLessThan(bound);
  x.dispose();
  m.dispose();
}

it('Linear', async () => {
  await check('Linear', new Linear(5, 4, { seed: 1 }), randn([3, 2, 5], 1));
});

it('LayerNorm and RMSNorm (affine and scale-free)', async () => {
  const ln = new LayerNorm(6);
  ln.loadStateDict({ weight: randn([6], 2, 0.5), bias: randn([6], 3, 0.5) });
  await check('LayerNorm', ln, randn([4, 6], 4, 2));
  const rms = new RMSNorm(6);
  rms.loadStateDict({ weight: randn([6], 5, 0.5) });
  await check('RMSNorm', rms, randn([4, 6], 6, 2));
  await check('RMSNorm scale-free', new RMSNorm(6, { elementwiseAffine: false }), randn([4, 6], 7, 2));
});

it('GELU, both forms', async () => {
  await check('GELU erf', new GELU(), randn([20], 8, 2));
  await check('GELU tanh', new GELU({ approximate: 'tanh' }), randn([20], 9, 2));
});

it('MLP with smooth activations', async () => {
  for (const activation of ['gelu', 'gelu_tanh', 'silu', 'tanh'] as const) {
    await check(`MLP ${activation}`, new MLP({ sizes: [3, 8, 8, 2], activation, seed: 3 }), randn([5, 3], 10));
  }
});
