import { it, expect } from 'vitest';
import { tf } from '../../src/index.js';
import { AdamW, SGD, clipGradNorm, warmupCosine, type Optimizer } from '../../src/optim/index.js';
import { describeBackends, compareClose } from '../../src/testing/index.js';
import { TinyMLP, mse } from './tiny-mlp.js';
import { fixture, type Scenario } from './fixture.js';

function modelFromFixture(): TinyMLP {
  const m = new TinyMLP();
  const dict: Record<string, tf.Tensor> = {};
  for (const [k, a] of Object.entries(fixture.init)) dict[k] = tf.tensor(a.data, a.shape);
  m.loadStateDict(dict);
  tf.dispose(Object.values(dict));
  return m;
}

/** Run `scenario` with `opt`, comparing loss, lr, grad norm and every parameter after every step. */
async function follow(model: TinyMLP, opt: Optimizer, scenario: Scenario, atol: number): Promise<number> {
  const x = tf.tensor(fixture.x.data, fixture.x.shape);
  const y = tf.tensor(fixture.y.data, fixture.y.shape);
  let worst = 0;
  for (const [i, ref] of scenario.steps.entries()) {
    expect(opt.currentLr() * opt.params.find((p) => p.name === 'fc1.weight')!.lrMultiplier).toBeCloseTo(ref.lr[0]!, 12);
    const { loss, gradNorm } = opt.minimize(() => mse(model.forward(x), y));
    expect((await loss.data())[0]).toBeCloseTo(ref.loss, 5);
    if (ref.gradNorm !== undefined) expect((await gradNorm!.data())[0]).toBeCloseTo(ref.gradNorm, 5);
    tf.dispose([loss, gradNorm]);
    for (const [name, v] of model.namedParameters()) {
      const r = compareClose(await v.data(), ref.params[name]!, { atol, rtol: 0 });
      expect(r.ok, `step ${i + 1} ${name}: ${r.message}`).toBe(true);
      worst = Math.max(worst, r.maxAbsErr);
    }
  }
  const state = opt.stateDict();
  for (const [k, ref] of Object.entries(scenario.state)) {
    const t = state.tensors[k];
    expect(t, `state ${k}`).toBeDefined();
    const r = compareClose(await t!.data(), ref, { atol, rtol: 1e-4 });
    expect(r.ok, `state ${k}: ${r.message}`).toBe(true);
  }
  expect(Object.keys(state.tensors).sort()).toEqual(Object.keys(scenario.state).sort());
  tf.dispose([x, y, ...Object.values(state.tensors)]);
  return worst;
}

await describeBackends('optimisers match torch.optim step for step', ({ backend }) => {
  // float32 against a float64 torch run: cpu/wasm agree to ~1e-7; webgpu's tiled kernels differ more.
  const atol = backend === 'webgpu' ? 2e-5 : 1e-6;

  it('AdamW (decoupled weight decay)', async () => {
    const sc = fixture.scenarios['adamw']!;
    const model = modelFromFixture();
    const opt = new AdamW(model.namedParameters(), { lr: 1e-2, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.1 });
    const worst = await follow(model, opt, sc, atol);
    expect(worst).toBeLessThan(atol);
    opt.dispose();
    model.dispose();
  });

  it('AdamW with parameter groups, warmup-cosine schedule and gradient clipping', async () => {
    const sc = fixture.scenarios['adamw_groups_clip_cosine']!;
    const model = modelFromFixture();
    const opt = new AdamW(model.namedParameters(), {
      lr: warmupCosine({ peakLr: 3e-2, warmupSteps: 2, totalSteps: 6, minLr: 1e-3 }),
      weightDecay: 0.05,
      groups: [{ match: '**.bias', lrMultiplier: 0.5, weightDecay: 0 }],
      clipGradNorm: 0.5,
      betas: [0.8, 0.99],
      eps: 1e-6,
    });
    expect(opt.params.map((p) => [p.name, p.lrMultiplier, p.weightDecay])).toEqual([
      ['fc1.weight', 1, 0.05],
      ['fc1.bias', 0.5, 0],
      ['fc2.weight', 1, 0.05],
      ['fc2.bias', 0.5, 0],
    ]);
    await follow(model, opt, sc, atol);
    expect(opt.stepCount).toBe(sc.steps.length);
    opt.dispose();
    model.dispose();
  });

  it('SGD with momentum, dampening and weight decay', async () => {
    const model = modelFromFixture();
    const opt = new SGD(model.namedParameters(), { lr: 5e-2, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 });
    await follow(model, opt, fixture.scenarios['sgd_momentum']!, atol);
    opt.dispose();
    model.dispose();
  });

  it('SGD with Nesterov momentum', async () => {
    const model = modelFromFixture();
    const opt = new SGD(model.namedParameters(), { lr: 5e-2, momentum: 0.9, nesterov: true });
    await follow(model, opt, fixture.scenarios['sgd_nesterov']!, atol);
    opt.dispose();
    model.dispose();
  });

  it('clipGradNorm matches clip_grad_norm_ and returns the pre-clip norm', async () => {
    for (const c of fixture.clip.cases) {
      const grads: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(fixture.clip.rawGrads)) grads[k] = tf.tensor(v, fixture.init[k]!.shape);
      const before = tf.memory().numTensors;
      const out = clipGradNorm(grads, c.maxNorm);
      expect(tf.memory().numTensors).toBe(before + Object.keys(grads).length + 1);
      expect((await out.totalNorm.data())[0]).toBeCloseTo(c.totalNorm, 5);
      for (const [k, ref] of Object.entries(c.grads)) {
        const r = compareClose(await out.grads[k]!.data(), ref, { atol: atol / 10, rtol: 1e-5 });
        expect(r.ok, `${k} (maxNorm ${c.maxNorm}): ${r.message}`).toBe(true);
      }
      tf.dispose([...Object.values(grads), ...Object.values(out.grads), out.totalNorm]);
    }
  });
});
