// Layer contracts: typed shape errors naming the layer, no tensor leaks, state-dict names.
import { it, expect, beforeAll } from 'vitest';
import { tf, ready } from '../../src/index.js';
import { ShapeError, ValueError } from '../../src/errors/index.js';
import { describeBackends } from '../../src/testing/index.js';
import {
  Conv1d,
  Dropout,
  Embedding,
  GELU,
  LayerNorm,
  Linear,
  MLP,
  MultiHeadAttention,
  RMSNorm,
  TransformerBlock,
} from '../../src/nn/index.js';

beforeAll(async () => {
  await ready({ backend: 'cpu', strict: true });
});

// Tensor bookkeeping is the engine's, the same on every backend; cpu and wasm cover both
// code paths (wasm runs Linear, Conv1d and Embedding gradients differently).
await describeBackends(
  'nn contracts',
  () => {
    it('forward inside tf.tidy and training steps leak no tensors', async () => {
      const layers = [
        { m: new Linear(4, 3, { seed: 1 }), x: () => tf.ones([2, 5, 4]) },
        { m: new LayerNorm(4), x: () => tf.ones([2, 4]) },
        { m: new RMSNorm(4), x: () => tf.ones([2, 4]) },
        { m: new RMSNorm(4, { elementwiseAffine: false }), x: () => tf.ones([2, 4]) },
        { m: new GELU({ approximate: 'tanh' }), x: () => tf.ones([3]) },
        { m: new MLP({ sizes: [4, 8, 2], dropout: 0.1, seed: 1 }), x: () => tf.ones([3, 4]) },
        { m: new Dropout({ p: 0.3, seed: 1 }), x: () => tf.ones([3, 4]) },
        { m: new Conv1d(2, 3, 3, { padding: 1, seed: 1 }), x: () => tf.ones([2, 2, 5]) },
        { m: new Conv1d(2, 4, 3, { dilation: 2, stride: 2, groups: 2, seed: 1 }), x: () => tf.ones([1, 2, 9]) },
      ];
      for (const { m, x } of layers) {
        const before = tf.memory().numTensors;
        const y = tf.tidy(() => tf.sum(m.forward(x())));
        await y.data();
        y.dispose();
        const params = m.parameters();
        if (params.length) {
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(m.forward(x()))) as tf.Scalar, params);
          value.dispose();
          tf.dispose(Object.values(grads));
        }
        expect(tf.memory().numTensors, m.constructor.name).toBe(before);
        m.dispose();
      }
    });

    it('attention, transformer blocks and embeddings leak no tensors (forward and backward)', async () => {
      const x = tf.ones([2, 3, 4]);
      const ctx = tf.ones([2, 2, 6]);
      const kpm = tf.tensor(
        [
          [0, 0, 1],
          [0, 0, 0],
        ],
        [2, 3],
      );
      const emb = new Embedding(5, 4, { seed: 1 });
      const ids = tf.tensor(
        [
          [1, 2, 4],
          [0, 0, 3],
        ],
        [2, 3],
        'int32',
      );
      const cases: { params: tf.Variable[]; f: () => tf.Tensor; dispose: () => void }[] = [];
      const mha = new MultiHeadAttention(4, 2, { contextDim: 6, dropout: 0.1, seed: 1 });
      cases.push({ params: mha.parameters(), f: () => mha.forward(x, { context: ctx }), dispose: () => mha.dispose() });
      const blk = new TransformerBlock(4, 2, { norm: 'rms', contextDim: 6, dropout: 0.1, seed: 2 });
      cases.push({
        params: blk.parameters(),
        f: () => blk.forward(x, { context: ctx, causal: true, keyPaddingMask: kpm }),
        dispose: () => blk.dispose(),
      });
      cases.push({ params: emb.parameters(), f: () => emb.forward(ids), dispose: () => emb.dispose() });
      for (const c of cases) {
        const before = tf.memory().numTensors;
        const y = tf.tidy(() => tf.sum(c.f()));
        await y.data();
        y.dispose();
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(c.f())) as tf.Scalar, c.params);
        value.dispose();
        tf.dispose(Object.values(grads));
        expect(tf.memory().numTensors).toBe(before);
        c.dispose();
      }
      tf.dispose([x, ctx, kpm, ids]);
    });
  },
  { backends: ['cpu', 'wasm'] },
);

it('shape errors name the layer and the expected vs actual shape', () => {
  const lin = new Linear(4, 3, { seed: 1 });
  const x = tf.ones([2, 5]);
  expect(() => lin.forward(x)).toThrow(ShapeError);
  expect(() => lin.forward(x)).toThrow('Linear(in=4, out=3): input must have shape [..., 4], got [2, 5]');
  expect(() => new LayerNorm(6).forward(x)).toThrow('LayerNorm(6): input must have shape [..., 6], got [2, 5]');
  expect(() => new RMSNorm(3).forward(x)).toThrow('RMSNorm(3): input must have shape [..., 3], got [2, 5]');
  expect(() => new MLP({ sizes: [3, 4, 1] }).forward(x)).toThrow('MLP([3, 4, 1]): input must have shape [..., 3], got [2, 5]');
  expect(() => lin.forward(tf.scalar(1))).toThrow(ShapeError);
  x.dispose();

  const mha = new MultiHeadAttention(8, 2, { seed: 1 });
  const x3 = tf.ones([2, 5, 8]);
  expect(() => mha.forward(tf.ones([2, 5, 6]))).toThrow(
    'MultiHeadAttention(dim=8, heads=2): input must have shape [*, *, 8], got [2, 5, 6]',
  );
  expect(() => mha.forward(x3, { keyPaddingMask: tf.ones([2, 4]) })).toThrow(
    'MultiHeadAttention(dim=8, heads=2): keyPaddingMask must have shape [2, 5], got [2, 4]',
  );
  const cross = new MultiHeadAttention(8, 2, { contextDim: 3, seed: 1 });
  expect(() => cross.forward(x3, { context: tf.ones([2, 4, 4]) })).toThrow('context must have shape [2, *, 3], got [2, 4, 4]');
  expect(() => cross.forward(x3)).toThrow(ShapeError);
  expect(() => new MultiHeadAttention(8, 3)).toThrow('dim 8 is not divisible by numHeads 3');
  const blk = new TransformerBlock(8, 2, { seed: 1 });
  expect(() => blk.forward(tf.ones([5, 8]))).toThrow('TransformerBlock(dim=8): input must have shape [*, *, 8], got [5, 8]');
  expect(() => blk.forward(x3, { context: x3 })).toThrow(ValueError);
  const conv = new Conv1d(3, 4, 5, { seed: 1 });
  expect(() => conv.forward(tf.ones([2, 4, 10]))).toThrow('Conv1d(3, 4, k=5): input must have shape [*, 3, *], got [2, 4, 10]');
  expect(() => conv.forward(tf.ones([2, 3, 4]))).toThrow('input length 4 is shorter than the dilated kernel 5');
  expect(() => new Conv1d(3, 4, 3, { groups: 2 })).toThrow(ValueError);
  expect(() => new Conv1d(3, 4, 3, { stride: 2, padding: 'same' })).toThrow(ValueError);
  const emb = new Embedding(5, 2, { seed: 1 });
  expect(() => emb.forward([0, 5])).toThrow('Embedding(5, 2): id 5 at position 1 is not an integer in [0, 5)');
  expect(() => emb.forward(tf.tensor([[1, -1]], [1, 2], 'int32'))).toThrow('ids must lie in [0, 5), got range [-1, 1]');
  expect(() => emb.forward(tf.tensor([1.5]))).toThrow('ids must be an int32 tensor, got float32');
  x3.dispose();
});

it('Embedding looks up rows, for array and tensor ids of any shape', async () => {
  const emb = new Embedding(4, 3, { seed: 1 });
  const table = Array.from(await emb.weight.data());
  const y = emb.forward(
    tf.tensor(
      [
        [3, 0],
        [1, 1],
      ],
      [2, 2],
      'int32',
    ),
  );
  expect(y.shape).toEqual([2, 2, 3]);
  const rows = [3, 0, 1, 1].flatMap((i) => table.slice(3 * i, 3 * i + 3));
  expect(Array.from(await y.data())).toEqual(rows);
  expect(Array.from(await emb.forward([2]).data())).toEqual(table.slice(6, 9));
  expect(emb.namedParameterRoles()).toEqual([['weight', 'input']]);
});

it('bad configuration gets a ValueError', () => {
  expect(() => new Linear(0, 3)).toThrow(ValueError);
  expect(() => new Linear(2.5, 3)).toThrow('Linear: inFeatures must be a positive integer, got 2.5');
  expect(() => new Dropout({ p: 1 })).toThrow(ValueError);
  expect(() => new MLP({ sizes: [3] })).toThrow(ValueError);
  expect(() => new MLP({ sizes: [3, 2], activation: 'swish' as never })).toThrow("unknown activation 'swish'");
  expect(() => new LayerNorm(4, { eps: -1 })).toThrow(ValueError);
});

it('parameters have PyTorch names and shapes; loadStateDict rejects mismatches', () => {
  const mlp = new MLP({ sizes: [3, 8, 2], seed: 4 });
  expect(mlp.namedParameters().map(([n, v]) => `${n}:${v.shape}`)).toEqual([
    'layers.0.weight:8,3',
    'layers.0.bias:8',
    'layers.1.weight:2,8',
    'layers.1.bias:2',
  ]);
  const sd = mlp.stateDict();
  const bad = { ...sd, 'layers.1.weight': tf.zeros([8, 2]) };
  expect(() => mlp.loadStateDict(bad)).toThrow("'layers.1.weight' has shape [8,2] but the module expects [2,8]");
  tf.dispose(Object.values(bad));
  tf.dispose(Object.values(sd));
  expect(new Linear(3, 2, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight']);
  expect(new RMSNorm(3, { elementwiseAffine: false }).numParameters()).toBe(0);
});

it('same seed gives the same weights; different seeds differ', async () => {
  const a = new MLP({ sizes: [3, 5, 2], seed: 11 });
  const b = new MLP({ sizes: [3, 5, 2], seed: 11 });
  const c = new MLP({ sizes: [3, 5, 2], seed: 12 });
  const w = async (m: MLP) => Array.from(await m.layers.at(1).weight.data());
  expect(await w(a)).toEqual(await w(b));
  expect(await w(a)).not.toEqual(await w(c));
  // Layers inside one MLP get different streams.
  const l0 = Array.from(await a.layers.at(0).bias!.data());
  const l1 = Array.from(await a.layers.at(1).bias!.data());
  expect(l0.slice(0, 2)).not.toEqual(l1);
});
