import { describe, it, expect, beforeAll } from 'vitest';
import { ready, tf, AbortError, ShapeError, ValueError, SchemaError } from '../../src/index.js';
import { AdamW, SGD } from '../../src/optim/index.js';
import { fit, evaluate, type Batch, type FitProgress, type TrainingCheckpoint } from '../../src/train/index.js';
import { TinyMLP } from '../optim/tiny-mlp.js';
import { MaskedMLP, regression, cloneCheckpoint, weightsOf } from './helpers.js';

describe('fit', () => {
  beforeAll(async () => {
    await ready({ backend: 'cpu', strict: true });
  });
  const data = regression(96, 3);

  it('learns a smooth map; reports every step and epoch; same seed → same weights', async () => {
    const run = async (seed: number): Promise<{ m: MaskedMLP; events: FitProgress[]; res: Awaited<ReturnType<typeof fit>> }> => {
      const m = new MaskedMLP();
      const events: FitProgress[] = [];
      const opt = new AdamW(m.namedParameters(), { lr: 1e-2 });
      const res = await fit(m, data, {
        epochs: 8,
        batchSize: 10,
        seed,
        optimizer: opt,
        progressBar: false,
        onProgress: (p) => void events.push(p),
      });
      opt.dispose();
      return { m, events, res };
    };
    const a = await run(5);
    expect(a.res).toMatchObject({ epochs: 8, globalStep: 80, stoppedEarly: false });
    const steps = a.events.filter((e) => e.phase === 'step');
    const epochs = a.events.filter((e) => e.phase === 'epoch');
    expect(steps).toHaveLength(80); // ceil(96 / 10) = 10 batches per epoch
    expect(steps.slice(0, 10).map((e) => e.batch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(steps.every((e) => e.batchesPerEpoch === 10 && e.lr === 1e-2 && e.epochs === 8)).toBe(true);
    expect(epochs.map((e) => e.globalStep)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    // the epoch loss is the row-weighted mean of the step losses (9 batches of 10, one of 6)
    const e0 = steps.slice(0, 10).reduce((s, e, i) => s + e.loss * (i < 9 ? 10 : 6), 0) / 96;
    expect(epochs[0]!.loss).toBeCloseTo(e0, 12);
    expect(a.res.history.loss).toEqual(epochs.map((e) => e.loss));
    expect(a.res.history.loss[7]!).toBeLessThan(a.res.history.loss[0]! / 2);
    // evaluation mode turns the mask off, so evaluate() is deterministic and below the noisy training loss
    const ev = await evaluate(a.m, data);
    expect(await evaluate(a.m, data)).toBe(ev);
    expect(ev).toBeLessThan(a.res.history.loss[0]!);
    const b = await run(5);
    expect(await weightsOf(b.m)).toEqual(await weightsOf(a.m));
    const c = await run(6);
    expect((await weightsOf(c.m))['fc1.weight']).not.toEqual((await weightsOf(a.m))['fc1.weight']);
    for (const r of [a, b, c]) r.m.dispose();
  });

  it('shuffles with the seed: without shuffling the batches come in row order', async () => {
    const seen: number[][] = [];
    const m = new TinyMLP(1, 2, 1);
    const x = tf.tensor2d([0, 1, 2, 3, 4, 5, 6, 7], [8, 1]);
    const y = tf.zeros([8, 1]);
    const spy = { forward: (t: tf.Tensor): tf.Tensor => (seen.push(Array.from(t.dataSync())), m.forward(t)) };
    const model = Object.assign(Object.create(Object.getPrototypeOf(m) as object) as TinyMLP, m, spy);
    await fit(model, { x, y }, { epochs: 2, batchSize: 4, shuffle: false, progressBar: false });
    expect(seen).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    seen.length = 0;
    await fit(model, { x, y }, { epochs: 2, batchSize: 4, seed: 9, progressBar: false });
    const e1 = [...seen[0]!, ...seen[1]!];
    const e2 = [...seen[2]!, ...seen[3]!];
    expect([...e1].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...e2].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(e1).not.toEqual(e2); // a new permutation each epoch
    expect(x.isDisposed).toBe(false); // caller's tensors are not disposed
    tf.dispose([x, y]);
    m.dispose();
  });

  it('early stopping: stops after `patience` epochs without improvement and restores the best weights', async () => {
    // The validation targets are the negated training targets, so fitting the training set makes
    // the validation loss rise after the first epoch.
    const val = { x: data.x, y: data.y.map((r) => r.map((v) => -v)) };
    const mk = (): { m: TinyMLP; o: SGD } => {
      const m = new TinyMLP(3, 8, 2, 3);
      return { m, o: new SGD(m.namedParameters(), { lr: 0.1, momentum: 0.9 }) };
    };
    const a = mk();
    const res = await fit(a.m, data, {
      epochs: 30,
      batchSize: 16,
      seed: 1,
      optimizer: a.o,
      validationData: val,
      earlyStopping: { patience: 3 },
      progressBar: false,
    });
    expect(res.stoppedEarly).toBe(true);
    const best = res.bestEpoch!;
    expect(res.epochs).toBe(best + 4);
    expect(res.history.valLoss).toHaveLength(res.epochs);
    const vl = res.history.valLoss;
    expect(Math.min(...vl)).toBe(vl[best]);
    for (const v of vl.slice(best + 1)) expect(v).toBeGreaterThanOrEqual(vl[best]!);
    // the restored weights are those after epoch `best`: rerun for exactly best+1 epochs
    const b = mk();
    await fit(b.m, data, { epochs: best + 1, batchSize: 16, seed: 1, optimizer: b.o, progressBar: false });
    expect(await weightsOf(a.m)).toEqual(await weightsOf(b.m));
    expect(await evaluate(a.m, val)).toBeCloseTo(vl[best]!, 6);
    for (const r of [a, b]) {
      r.o.dispose();
      r.m.dispose();
    }
  });

  it('AbortSignal: rejects with AbortError and leaves the model at the last completed step', async () => {
    const m = new MaskedMLP();
    const opt = new AdamW(m.namedParameters(), { lr: 1e-2 });
    const ac = new AbortController();
    const ckpts: TrainingCheckpoint[] = [];
    const before = tf.memory().numTensors;
    const p = fit(m, data, {
      epochs: 5,
      batchSize: 16,
      optimizer: opt,
      progressBar: false,
      signal: ac.signal,
      checkpoint: { everySteps: 1, save: (c) => void ckpts.push(cloneCheckpoint(c)) },
      onProgress: (e) => {
        if (e.globalStep === 8) ac.abort(new Error('user pressed stop'));
      },
    });
    await expect(p).rejects.toBeInstanceOf(AbortError);
    await expect(p).rejects.toThrow(/aborted at epoch 2, batch 3: user pressed stop/);
    expect(opt.stepCount).toBe(8);
    const last = ckpts.at(-1)!;
    expect(last.meta.globalStep).toBe(8);
    for (const [n, v] of m.namedParameters()) expect(await v.data(), n).toEqual(await last.tensors[`model.${n}`]!.data());
    expect(tf.memory().numTensors).toBe(before + ckpts.length * 12); // only the checkpoints the test kept
    // the aborted run resumes from its last checkpoint
    const res = await fit(m, data, { epochs: 2, batchSize: 16, optimizer: opt, progressBar: false, resumeFrom: last });
    expect(res.globalStep).toBe(12);
    for (const c of ckpts) tf.dispose(Object.values(c.tensors));
    await expect(fit(m, data, { epochs: 1, signal: AbortSignal.abort() })).rejects.toThrow(/before it started/);
    opt.dispose();
    m.dispose();
  });

  it('trains from a batch iterator (sync or async), and resumes it by skipping done batches', async () => {
    const xs = tf.tensor2d(data.x);
    const ys = tf.tensor2d(data.y);
    const source = async function* ({ rng }: { epoch: number; rng: import('../../src/train/index.js').Rng }): AsyncGenerator<Batch> {
      const order = rng.permutation(96);
      for (let s = 0; s < 96; s += 32) {
        const idx = tf.tensor1d(order.subarray(s, s + 32), 'int32');
        yield { x: tf.gather(xs, idx), y: tf.gather(ys, idx) };
        idx.dispose();
      }
    };
    const mk = (): { m: TinyMLP; o: AdamW } => {
      const m = new TinyMLP(3, 8, 2);
      return { m, o: new AdamW(m.namedParameters(), { lr: 1e-2 }) };
    };
    const a = mk();
    const ck: TrainingCheckpoint[] = [];
    const before = tf.memory().numTensors;
    const res = await fit(a.m, source, {
      epochs: 3,
      optimizer: a.o,
      progressBar: false,
      checkpoint: { everySteps: 4, save: (c) => void ck.push(cloneCheckpoint(c)) },
    });
    expect(res.globalStep).toBe(9);
    expect(ck).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before + 2 * 12); // only the checkpoints the test kept (4 weights + 8 moments each)
    const b = mk();
    const res2 = await fit(b.m, source, { epochs: 3, optimizer: b.o, progressBar: false, resumeFrom: ck[0]! });
    expect(res2.history).toEqual(res.history);
    expect(await weightsOf(b.m)).toEqual(await weightsOf(a.m));
    for (const c of ck) tf.dispose(Object.values(c.tensors));
    tf.dispose([xs, ys]);
    for (const r of [a, b]) {
      r.o.dispose();
      r.m.dispose();
    }
  });

  it('bad input gives typed errors that say what is wrong', async () => {
    const m = new TinyMLP();
    const opt = new AdamW(m.namedParameters(), { lr: 1e-2 });
    const o = { epochs: 1, optimizer: opt, progressBar: false };
    await expect(fit(m, { x: data.x, y: data.y.slice(1) }, o)).rejects.toThrow(ShapeError);
    await expect(fit(m, { x: data.x, y: data.y.slice(1) }, o)).rejects.toThrow(/96 rows but y has 95/);
    const nanX = data.x.map((r) => [...r]);
    nanX[4]![1] = NaN;
    await expect(fit(m, { x: nanX, y: data.y }, o)).rejects.toThrow(/data.x contains NaN at flat index 13/);
    await expect(fit(m, { x: data.x, y: data.y.map((r) => [r[0]!]) }, o)).rejects.toThrow(
      /output has shape \[32,2\] but the targets have \[32,1\]/,
    );
    await expect(
      fit(
        m,
        {
          x: [
            [1, 2, 3],
            [3, 4],
          ],
          y: [[1], [2]],
        },
        o,
      ),
    ).rejects.toThrow(ShapeError);
    await expect(
      fit(
        m,
        {
          x: [
            [1, 2, 3],
            [3, 4],
          ],
          y: [[1], [2]],
        },
        o,
      ),
    ).rejects.toThrow(/data.x\[1\] has shape \[2\] but data.x\[0\] has \[3\]/);
    await expect(fit(m, data, { ...o, epochs: 0 })).rejects.toThrow(/epochs must be an integer/);
    await expect(fit(m, data, { ...o, batchSize: 2.5 })).rejects.toThrow(ValueError);
    await expect(fit(m, data, { ...o, validationSplit: 1 })).rejects.toThrow(/validationSplit/);
    await expect(fit(m, data, { ...o, earlyStopping: { patience: 2, monitor: 'valLoss' } })).rejects.toThrow(/no validation set/);
    await expect(fit(m, data, { ...o, loss: 'huber' as never })).rejects.toThrow(/unknown loss 'huber'/);
    const badCkpt = { meta: { kind: 'something-else' }, tensors: {} } as unknown as TrainingCheckpoint;
    await expect(fit(m, data, { ...o, resumeFrom: badCkpt })).rejects.toThrow(SchemaError);
    // a loss that becomes NaN stops training before the update: the weights stay finite
    const w0 = await weightsOf(m);
    const nanLoss = (p: tf.Tensor, t: tf.Tensor): tf.Scalar => tf.div(tf.mean(tf.square(tf.sub(p, t))), 0) as tf.Scalar;
    await expect(fit(m, data, { ...o, loss: (p, t) => tf.mul(nanLoss(p, t), 0) as tf.Scalar })).rejects.toThrow(
      /loss is NaN at epoch 1, batch 1/,
    );
    expect(await weightsOf(m)).toEqual(w0);
    expect(opt.stepCount).toBe(0);
    opt.dispose();
    m.dispose();
  });
});
