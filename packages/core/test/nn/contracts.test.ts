// Layer contracts: typed shape errors naming the layer, no tensor leaks, state-dict names.
import { it, expect, beforeAll } from 'vitest';
import { tf, ready } from '../../src/index.js';
import { ShapeError, ValueError } from '../../src/errors/index.js';
import { describeBackends } from '../../src/testing/index.js';
import { Dropout, GELU, LayerNorm, Linear, MLP, RMSNorm } from '../../src/nn/index.js';


beforeAll(async () => {
  await ready({ backend: 'cpu', strict: true });
});

await describeBackends('nn contracts', () => {
  it('forward inside tf.tidy and training steps leak no tensors', async () => {
    const layers = [
      { m: new Linear(4, 3, { seed: 1 }), x: () => tf.ones([2, 5, 4]) },
      { m: new LayerNorm(4), x: () => tf.ones([2, 4]) },
      { m: new RMSNorm(4), x: () => tf.ones([2, 4]) },
      { m: new RMSNorm(4, { elementwiseAffine: false }), x: () => tf.ones([2, 4]) },
      { m: new GELU({ approximate: 'tanh' }), x: () => tf.ones([3]) },
      { m: new MLP({ sizes: [4, 8, 2], dropout: 0.1, seed: 1 }), x: () => tf.ones([3, 4]) },
      { m: new Dropout({ p: 0.3, seed: 1 }), x: () => tf.ones([3, 4]) },
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
});

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
