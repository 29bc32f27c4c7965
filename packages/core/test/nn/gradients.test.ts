// Analytic gradients of every layer against central finite differences, jointly in the
// input and all parameters, along random directions (float32: relative error < 1e-2).
import { it, expect } from 'vitest';
import { tf } from '../../src/index.js';
import { describeBackends } from '../../src/testing/index.js';
import { Conv1d, Embedding, GELU, LayerNorm, Linear, MLP, MultiHeadAttention, RMSNorm, Rng, TransformerBlock } from '../../src/nn/index.js';
import type { Module } from '../../src/nn/index.js';
import { gradCheck } from './gradcheck.js';

function randn(shape: number[], seed: number, scale = 1): tf.Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => scale * rng.normal()),
    shape,
  );
}

interface Checked {
  forward(x: tf.Tensor): tf.Tensor;
  parameters(): tf.Variable[];
  dispose(): void;
}

/** A module seen as a function of x alone (masks and context fixed). */
function withInputs(m: Module, f: (x: tf.Tensor) => tf.Tensor): Checked {
  return { forward: f, parameters: () => m.parameters(), dispose: () => m.dispose() };
}

async function check(name: string, m: Checked, x: tf.Tensor, bound = 1e-2) {
  const r = await gradCheck((t) => m.forward(t), x, m.parameters());
  expect(r.worst, `${name}: ${r.detail}`).toBeLessThan(bound);
  x.dispose();
  m.dispose();
}

// cpu and wasm run different code paths (wasm: unfused Linear bias, im2col Conv1d, one-hot
// Embedding gradient); webgpu gradients are compared with cpu in webgpu-gradients.test.ts.
await describeBackends(
  'nn gradients vs finite differences',
  () => {
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

    it('MultiHeadAttention: self with causal + padding masks, and cross', async () => {
      const kpm = tf.tensor(
        [
          [false, false, false, true],
          [false, false, false, false],
        ],
        [2, 4],
        'bool',
      );
      const self = new MultiHeadAttention(6, 2, { seed: 4 });
      await check(
        'MHA self',
        withInputs(self, (x: tf.Tensor) => self.forward(x, { causal: true, keyPaddingMask: kpm })),
        randn([2, 4, 6], 11),
      );
      const ctx = randn([2, 3, 5], 12);
      const cross = new MultiHeadAttention(6, 3, { contextDim: 5, logitScale: 'mup', seed: 5 });
      await check(
        'MHA cross',
        withInputs(cross, (x: tf.Tensor) => cross.forward(x, { context: ctx })),
        randn([2, 4, 6], 13),
      );
      tf.dispose([kpm, ctx]);
    });

    it('TransformerBlock: LayerNorm + causal, and RMSNorm + cross-attention', async () => {
      const a = new TransformerBlock(8, 2, { mlpRatio: 2, seed: 6 });
      await check(
        'block layer',
        withInputs(a, (x: tf.Tensor) => a.forward(x, { causal: true })),
        randn([2, 3, 8], 14),
      );
      const ctx = randn([2, 2, 4], 15);
      const b = new TransformerBlock(8, 2, { mlpRatio: 2, norm: 'rms', activation: 'gelu_tanh', contextDim: 4, seed: 7 });
      await check(
        'block rms cross',
        withInputs(b, (x: tf.Tensor) => b.forward(x, { context: ctx })),
        randn([2, 3, 8], 16),
      );
      ctx.dispose();
    });

    it('Conv1d: plain, strided + padded, dilated + strided, grouped', async () => {
      await check('Conv1d', new Conv1d(3, 4, 3, { seed: 8 }), randn([2, 3, 9], 17));
      await check('Conv1d stride/pad', new Conv1d(3, 2, 4, { stride: 2, padding: 2, seed: 9 }), randn([2, 3, 9], 18));
      await check('Conv1d dilation/stride', new Conv1d(2, 3, 3, { stride: 2, dilation: 2, padding: 1, seed: 10 }), randn([2, 2, 11], 19));
      await check('Conv1d groups', new Conv1d(4, 6, 3, { groups: 2, padding: 'same', seed: 11 }), randn([2, 4, 7], 20));
    });

    it('Embedding: gradient w.r.t. the table (ids are not differentiable)', async () => {
      const emb = new Embedding(7, 5, { seed: 12 });
      const ids = tf.tensor(
        [
          [0, 3, 3],
          [6, 1, 0],
        ],
        [2, 3],
        'int32',
      );
      // The "input" here is a scale applied to the looked-up rows, so the check covers the table.
      await check(
        'Embedding',
        withInputs(emb, (s: tf.Tensor) => tf.mul(emb.forward(ids), s)),
        randn([1], 21),
      );
      ids.dispose();
    });
  },
  { backends: ['cpu', 'wasm'] },
);
