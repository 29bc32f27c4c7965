import { describe, it, expect, beforeAll } from 'vitest';
import { ready, tf, ShapeError, SchemaError, ValueError } from '../../src/index.js';
import { AdamW, SGD, compileMatcher } from '../../src/optim/index.js';
import { TinyMLP, mse } from './tiny-mlp.js';

describe('parameter groups, state and input checks', () => {
  beforeAll(async () => {
    await ready({ backend: 'cpu', strict: true });
  });

  it('glob, RegExp and predicate matchers select by dotted name', () => {
    const v = undefined as unknown as tf.Variable;
    const bias = compileMatcher('**.bias');
    expect(bias('fc1.bias', v)).toBe(true);
    expect(bias('blocks.0.attn.q.bias', v)).toBe(true);
    expect(bias('fc1.biases', v)).toBe(false);
    const q = compileMatcher('blocks.*.attn.*.weight');
    expect(q('blocks.11.attn.q.weight', v)).toBe(true);
    expect(q('blocks.1.mlp.fc.weight', v)).toBe(false);
    expect(q('blocks.1.attn.q.sub.weight', v)).toBe(false);
    expect(compileMatcher(/^emb/g)('embedding.weight', v)).toBe(true);
    expect(compileMatcher(/^emb/g)('embedding.weight', v)).toBe(true); // lastIndex of /g is reset
    expect(compileMatcher((n) => n.length > 8)('fc1.weight', v)).toBe(true);
  });

  it('first matching rule wins; per-name multipliers (muP style) are supported', () => {
    const m = new TinyMLP();
    const fanIn: Record<string, number> = { 'fc1.weight': 3, 'fc2.weight': 4 };
    const opt = new AdamW(m.namedParameters(), {
      lr: 1e-3,
      weightDecay: 0.1,
      groups: [
        { name: 'no-decay', match: /\.bias$/, weightDecay: 0 },
        { name: 'hidden', match: (n) => n.endsWith('weight'), lrMultiplier: (n) => 1 / fanIn[n]! },
      ],
    });
    expect(opt.params.map((p) => [p.name, p.group, p.lrMultiplier, p.weightDecay])).toEqual([
      ['fc1.weight', 'hidden', 1 / 3, 0.1],
      ['fc1.bias', 'no-decay', 1, 0],
      ['fc2.weight', 'hidden', 1 / 4, 0.1],
      ['fc2.bias', 'no-decay', 1, 0],
    ]);
    opt.dispose();
    m.dispose();
  });

  it('per-name lrMultipliers (e.g. from mupLrMultipliers) multiply the group multiplier; all names required', () => {
    const m = new TinyMLP();
    const mult = { 'fc1.weight': 1, 'fc1.bias': 1, 'fc2.weight': 0.25, 'fc2.bias': 1 };
    const opt = new AdamW(m.namedParameters(), { lr: 1e-3, lrMultipliers: mult, groups: [{ match: '**.bias', lrMultiplier: 0.5 }] });
    expect(opt.params.map((p) => p.lrMultiplier)).toEqual([1, 0.5, 0.25, 0.5]);
    opt.dispose();
    expect(() => new AdamW(m.namedParameters(), { lr: 1, lrMultipliers: { 'fc1.weight': 1 } })).toThrow(/no entry for 'fc1.bias'/);
    expect(() => new AdamW(m.namedParameters(), { lr: 1, lrMultipliers: { ...mult, 'fc3.weight': 1 } })).toThrow(
      /unknown parameters: fc3.weight/,
    );
    m.dispose();
  });

  it('an optimiser owns exactly its state tensors and frees them on dispose', () => {
    const m = new TinyMLP();
    const before = tf.memory().numTensors;
    const adam = new AdamW(m.namedParameters(), { lr: 1e-3 });
    expect(tf.memory().numTensors).toBe(before + 8);
    const sgd = new SGD(m.namedParameters(), { lr: 1e-3 });
    expect(tf.memory().numTensors).toBe(before + 8); // no momentum → no state
    adam.dispose();
    sgd.dispose();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('a zero lr multiplier freezes a group exactly', async () => {
    const m = new TinyMLP();
    const before = await m.fc1.weight.data();
    const opt = new AdamW(m.namedParameters(), { lr: 0.1, weightDecay: 0.5, groups: [{ match: 'fc1.*', lrMultiplier: 0 }] });
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 3);
    const y = tf.randomNormal([5, 2], 0, 1, 'float32', 4);
    const w2 = await m.fc2.weight.data();
    for (let i = 0; i < 3; i++) tf.dispose(opt.minimize(() => mse(m.forward(x), y)).loss);
    expect(await m.fc1.weight.data()).toEqual(before);
    expect(await m.fc2.weight.data()).not.toEqual(w2);
    tf.dispose([x, y]);
    opt.dispose();
    m.dispose();
  });

  it('state round-trips: a restored optimiser continues exactly like the original', async () => {
    const x = tf.randomNormal([6, 3], 0, 1, 'float32', 5);
    const y = tf.randomNormal([6, 2], 0, 1, 'float32', 6);
    const a = new TinyMLP();
    const optA = new AdamW(a.namedParameters(), { lr: 1e-2, weightDecay: 0.01 });
    for (let i = 0; i < 3; i++) tf.dispose(optA.minimize(() => mse(a.forward(x), y)).loss);
    const weights = a.stateDict();
    const state = optA.stateDict();
    expect(state.meta).toEqual({
      kind: 'AdamW',
      step: 3,
      paramSteps: { 'fc1.weight': 3, 'fc1.bias': 3, 'fc2.weight': 3, 'fc2.bias': 3 },
      hyper: {
        betas: [0.9, 0.999],
        eps: 1e-8,
        'params (lrMultiplier, weightDecay)': {
          'fc1.weight': [1, 0.01],
          'fc1.bias': [1, 0.01],
          'fc2.weight': [1, 0.01],
          'fc2.bias': [1, 0.01],
        },
      },
    });
    // an optimiser configured differently refuses the state: the continued run would not be the saved one
    const other = new AdamW(a.namedParameters(), { lr: 1e-2, weightDecay: 0.01, betas: [0.8, 0.999] });
    expect(() => other.loadStateDict(state)).toThrow(/saved with betas = \[0.9,0.999\] but this optimiser has \[0.8,0.999\]/);
    const noDecay = new AdamW(a.namedParameters(), { lr: 1e-2, weightDecay: 0.01, groups: [{ match: '**.bias', weightDecay: 0 }] });
    expect(() => noDecay.loadStateDict(state)).toThrow(/params \(lrMultiplier, weightDecay\)/);
    other.dispose();
    noDecay.dispose();
    const b = new TinyMLP(3, 4, 2, 99);
    b.loadStateDict(weights);
    const optB = new AdamW(b.namedParameters(), { lr: 1e-2, weightDecay: 0.01 });
    optB.loadStateDict(state);
    expect(optB.stepCount).toBe(3);
    for (let i = 0; i < 3; i++) {
      tf.dispose(optA.minimize(() => mse(a.forward(x), y)).loss);
      tf.dispose(optB.minimize(() => mse(b.forward(x), y)).loss);
    }
    for (const [[n, va], [, vb]] of a.namedParameters().map((e, i) => [e, b.namedParameters()[i]!] as const)) {
      expect(await vb.data(), n).toEqual(await va.data());
    }
    tf.dispose([x, y, ...Object.values(weights), ...Object.values(state.tensors)]);
    for (const o of [optA, optB]) o.dispose();
    for (const m of [a, b]) m.dispose();
  });

  it('bad state, gradients and settings give typed errors', () => {
    const m = new TinyMLP();
    const adam = new AdamW(m.namedParameters(), { lr: 1e-3 });
    const sgd = new SGD(m.namedParameters(), { lr: 1e-3, momentum: 0.9 });
    const s = adam.stateDict();
    expect(() => sgd.loadStateDict(s)).toThrow(SchemaError);
    const bad = { meta: s.meta, tensors: { ...s.tensors, 'exp_avg.fc1.weight': tf.zeros([2, 2]) } };
    expect(() => adam.loadStateDict(bad)).toThrow(ShapeError);
    expect(() => adam.loadStateDict(bad)).toThrow(/exp_avg\.fc1\.weight' has shape \[2,2\]/);
    const missing = { meta: s.meta, tensors: { ...s.tensors } };
    delete missing.tensors['exp_avg_sq.fc2.bias'];
    expect(() => adam.loadStateDict(missing)).toThrow(/missing 'exp_avg_sq.fc2.bias'/);
    expect(() => adam.step({ 'fc1.weight': tf.zeros([3, 3]) })).toThrow(ShapeError);
    expect(() => adam.step({ nope: tf.zeros([1]) })).toThrow(/unknown parameter 'nope'/);
    expect(() => new AdamW(m.namedParameters(), { lr: -1 })).toThrow(ValueError);
    expect(() => new AdamW(m.namedParameters(), { lr: 1, betas: [1, 0.9] })).toThrow(/betas/);
    expect(() => new AdamW([], { lr: 1 })).toThrow(/no parameters/);
    expect(() => new SGD(m.namedParameters(), { lr: 1, nesterov: true })).toThrow(/Nesterov/);
    expect(() => new AdamW(m.namedParameters(), { lr: 1, groups: [{ match: /./, lrMultiplier: NaN }] })).toThrow(/lrMultiplier/);
    const n = [...m.namedParameters()];
    expect(() => new AdamW([...n, n[0]!], { lr: 1 })).toThrow(/listed twice/);
    tf.dispose([...Object.values(s.tensors), bad.tensors['exp_avg.fc1.weight']]);
    adam.dispose();
    sgd.dispose();
    m.dispose();
  });
});
