import { describe, it, expect, beforeAll } from 'vitest';
import { ready, tf } from '../../src/index.js';
import { AdamW, warmupCosine } from '../../src/optim/index.js';
import { fit, type TrainingCheckpoint, type FitProgress } from '../../src/train/index.js';
import { MLP } from '../../src/nn/index.js';
import { MaskedMLP, regression, cloneCheckpoint, weightsOf } from './helpers.js';

// Exact resume is a cpu-backend guarantee (wasm/webgpu kernels may use threads or
// non-deterministic reduction orders); these tests pin the cpu backend.
describe('fit: checkpoints and exact resume [cpu]', () => {
  beforeAll(async () => {
    await ready({ backend: 'cpu', strict: true });
  });

  const data = regression(90, 1); // 81 train + 9 validation rows → 6 batches of 16 per epoch
  const makeOpt = (m: MaskedMLP): AdamW =>
    new AdamW(m.namedParameters(), {
      lr: warmupCosine({ peakLr: 2e-2, warmupSteps: 4, totalSteps: 30, minLr: 1e-3 }),
      weightDecay: 0.01,
      groups: [{ match: '**.bias', weightDecay: 0 }],
      clipGradNorm: 1,
    });
  const base = {
    epochs: 5,
    batchSize: 16,
    seed: 42,
    validationSplit: 0.1,
    earlyStopping: { patience: 10 },
    progressBar: false,
  } as const;

  async function uninterrupted(): Promise<{
    model: MaskedMLP;
    opt: AdamW;
    ckpts: TrainingCheckpoint[];
    res: Awaited<ReturnType<typeof fit>>;
  }> {
    const model = new MaskedMLP();
    const opt = makeOpt(model);
    const ckpts: TrainingCheckpoint[] = [];
    const res = await fit(model, data, {
      ...base,
      optimizer: opt,
      checkpoint: { everySteps: 4, save: (c) => void ckpts.push(cloneCheckpoint(c)) },
    });
    return { model, opt, ckpts, res };
  }

  it('a run resumed from any checkpoint equals the uninterrupted run bit for bit', async () => {
    const full = await uninterrupted();
    expect(full.res.globalStep).toBe(30);
    expect(full.ckpts.map((c) => [c.meta.epoch, c.meta.batchInEpoch])).toEqual([
      [0, 4],
      [1, 2],
      [1, 6],
      [2, 4],
      [3, 2],
      [3, 6],
      [4, 4],
    ]);
    const wantW = await weightsOf(full.model);
    const wantS = full.opt.stateDict();
    // mid-epoch (after 2 of 6 batches of epoch 2), and an epoch's last batch before its epoch-end bookkeeping
    for (const c of [full.ckpts[1]!, full.ckpts[2]!, full.ckpts[6]!]) {
      const model = new MaskedMLP(); // different init: everything must come from the checkpoint
      model.fc1.weight.assign(tf.zerosLike(model.fc1.weight));
      const opt = makeOpt(model);
      const res = await fit(model, data, { ...base, optimizer: opt, resumeFrom: c });
      expect(res.globalStep).toBe(30);
      expect(res.history).toEqual(full.res.history); // losses are identical doubles
      const got = await weightsOf(model);
      for (const [n, w] of Object.entries(wantW)) expect(got[n], `${n} from step ${c.meta.globalStep}`).toEqual(w);
      const s = opt.stateDict();
      expect(s.meta).toEqual(wantS.meta);
      for (const [n, t] of Object.entries(wantS.tensors)) expect(await s.tensors[n]!.data(), n).toEqual(await t.data());
      tf.dispose([...Object.values(s.tensors)]);
      opt.dispose();
      model.dispose();
    }
    expect(full.res.history.loss.at(-1)!).toBeLessThan(full.res.history.loss[0]! * 0.7);
    tf.dispose(Object.values(wantS.tensors));
    for (const c of full.ckpts) tf.dispose(Object.values(c.tensors));
    full.opt.dispose();
    full.model.dispose();
  });

  it('resuming from an epoch-boundary checkpoint and extending the run', async () => {
    const model = new MaskedMLP();
    const opt = makeOpt(model);
    const ckpts: TrainingCheckpoint[] = [];
    await fit(model, data, {
      ...base,
      epochs: 2,
      optimizer: opt,
      checkpoint: { everyEpochs: 2, save: (c) => void ckpts.push(cloneCheckpoint(c)) },
    });
    expect(ckpts).toHaveLength(1);
    expect(ckpts[0]!.meta).toMatchObject({ epoch: 2, batchInEpoch: 0, globalStep: 12, epochSamples: 0 });
    const model2 = new MaskedMLP();
    const opt2 = makeOpt(model2);
    const resumed = await fit(model2, data, { ...base, optimizer: opt2, resumeFrom: ckpts[0]! });
    const full = await uninterrupted();
    expect(resumed.history).toEqual(full.res.history);
    expect(await weightsOf(model2)).toEqual(await weightsOf(full.model));
    for (const c of [...ckpts, ...full.ckpts]) tf.dispose(Object.values(c.tensors));
    for (const o of [opt, opt2, full.opt]) o.dispose();
    for (const m of [model, model2, full.model]) m.dispose();
  });

  it('with nn.MLP and real Dropout layers, a resumed run reproduces the masks', async () => {
    const mk = (): { m: MLP; o: AdamW } => {
      const m = new MLP({ sizes: [3, 16, 16, 2], dropout: 0.3, seed: 5 });
      return { m, o: new AdamW(m.namedParameters(), { lr: 1e-2 }) };
    };
    const a = mk();
    const ckpts: TrainingCheckpoint[] = [];
    const o = { epochs: 3, batchSize: 16, seed: 8, progressBar: false } as const;
    const full = await fit(a.m, data, {
      ...o,
      optimizer: a.o,
      checkpoint: { everySteps: 7, save: (c) => void ckpts.push(cloneCheckpoint(c)) },
    });
    const b = mk();
    const res = await fit(b.m, data, { ...o, optimizer: b.o, resumeFrom: ckpts[1]! });
    expect(res.history).toEqual(full.history);
    expect(await weightsOf(b.m)).toEqual(await weightsOf(a.m));
    // dropout is really active in training mode (so the equality above needs the masks replayed)
    const x = tf.tensor2d(data.x.slice(0, 8));
    const yEval = await a.m.eval().forward(x).data();
    const yTrain = await a.m.train().forward(x).data();
    expect(yTrain).not.toEqual(yEval);
    x.dispose();
    for (const k of ckpts) tf.dispose(Object.values(k.tensors));
    for (const r of [a, b]) {
      r.o.dispose();
      r.m.dispose();
    }
  });

  it('a resume that could not be exact is refused', async () => {
    const model = new MaskedMLP();
    const ckpts: TrainingCheckpoint[] = [];
    await fit(model, data, { ...base, epochs: 1, checkpoint: { everyEpochs: 1, save: (c) => void ckpts.push(cloneCheckpoint(c)) } });
    await expect(fit(model, data, { ...base, batchSize: 8, resumeFrom: ckpts[0]! })).rejects.toThrow(/batchSize = 16 .* has 8/);
    await expect(fit(model, data, { ...base, seed: 1, resumeFrom: ckpts[0]! })).rejects.toThrow(/seed/);
    tf.dispose(Object.values(ckpts[0]!.tensors));
    model.dispose();
  });

  it('the live tensor count stays flat across epochs', async () => {
    const model = new MaskedMLP();
    const counts: number[] = [];
    const stepCounts: number[] = [];
    const before = tf.memory().numTensors;
    await fit(model, data, {
      ...base,
      epochs: 4,
      checkpoint: { everySteps: 5, save: () => undefined },
      onProgress: (p: FitProgress) => void (p.phase === 'epoch' ? counts : stepCounts).push(tf.memory().numTensors),
    });
    expect(counts).toHaveLength(4);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[0]).toBe(counts[3]);
    expect(Math.max(...stepCounts)).toBe(Math.min(...stepCounts.slice(6)));
    expect(tf.memory().numTensors).toBe(before); // nothing left behind after fit
    model.dispose();
  });
});
