import { describe, it, expect, beforeAll } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ready, tf, AbortError, UsageError } from '../../src/index.js';
import { AdamW, SGD } from '../../src/optim/index.js';
import { DataParallelTrainer, ParallelWorkerError, fitParallel, type HostTensor } from '../../src/train/index.js';
import { TinyModel, tinyLoss } from './parallel-fixture.js';

const fixture = fileURLToPath(new URL('./parallel-fixture.ts', import.meta.url));

function maxAbsDiff(a: Record<string, HostTensor>, b: Record<string, Float32Array>): number {
  let d = 0;
  for (const [k, h] of Object.entries(a)) {
    const o = b[k];
    expect(o, k).toBeDefined();
    for (let i = 0; i < h.data.length; i++) d = Math.max(d, Math.abs(h.data[i]! - o![i]!));
  }
  return d;
}

describe('DataParallelTrainer (2 workers, real tfjs wasm)', () => {
  // 7 rows: shards of 4 and 3, so the row weighting matters.
  let x: tf.Tensor;
  let y: tf.Tensor;
  beforeAll(async () => {
    await ready({ backend: 'wasm', strict: true });
    x = tf.randomNormal([7, 8, 16], 0, 1, 'float32', 11);
    y = tf.randomNormal([7, 8, 4], 0, 1, 'float32', 12);
  });

  const refWeights = (m: TinyModel): Record<string, Float32Array> =>
    Object.fromEntries(m.namedParameters().map(([n, v]) => [n, v.dataSync() as Float32Array]));

  it('the summed-gradient step equals the single-process step on the full batch (SGD, lr 1: weights = −gradient)', async () => {
    const ref = new TinyModel(0);
    const opt = new SGD(ref.namedParameters(), { lr: 1 });
    const trainer = await DataParallelTrainer.create(
      { module: fixture, exportName: 'buildTiny', options: { sgd: true, lr: 1 } },
      { workers: 2 },
    );
    try {
      expect(trainer.workers).toBe(2);
      expect(trainer.backend).toBe('wasm');
      expect([...trainer.paramNames].sort()).toEqual(
        ref
          .namedParameters()
          .map(([n]) => n)
          .sort(),
      );
      expect(maxAbsDiff(await trainer.weights(0), refWeights(ref))).toBe(0); // same initial weights
      for (let k = 0; k < 3; k++) {
        const { loss } = opt.minimize(() => tinyLoss(ref, { x, y }));
        const refLoss = (await loss.data())[0]!;
        loss.dispose();
        const r = await trainer.step({ x, y });
        expect(r.rows).toBe(7);
        expect(Math.abs(r.loss - refLoss)).toBeLessThan(1e-5);
        // with lr 1 the weight difference is the accumulated gradient difference
        expect(maxAbsDiff(await trainer.weights(0), refWeights(ref))).toBeLessThan(1e-5);
      }
    } finally {
      await trainer.close();
      ref.dispose();
    }
    await expect(trainer.step({ x, y })).rejects.toBeInstanceOf(UsageError);
  });

  it('AdamW replicas stay bitwise in sync over k steps and track the single-process run', async () => {
    const ref = new TinyModel(0);
    const opt = new AdamW(ref.namedParameters(), { lr: 1e-2, weightDecay: 0.01 });
    const trainer = await DataParallelTrainer.create({ module: fixture, exportName: 'buildTiny', options: { lr: 1e-2 } }, { workers: 2 });
    try {
      for (let k = 0; k < 4; k++) {
        const { loss } = opt.minimize(() => tinyLoss(ref, { x, y }));
        const refLoss = (await loss.data())[0]!;
        loss.dispose();
        const r = await trainer.step({ x, y });
        expect(Math.abs(r.loss - refLoss)).toBeLessThan(1e-4);
        const w0 = await trainer.weights(0);
        const w1 = await trainer.weights(1);
        for (const n of trainer.paramNames) expect(Buffer.from(w1[n]!.data.buffer).equals(Buffer.from(w0[n]!.data.buffer)), n).toBe(true);
        // Adam divides by √v: a 1e-7 gradient difference on a near-zero gradient moves a weight by up to ~lr
        expect(maxAbsDiff(w0, refWeights(ref))).toBeLessThan(2e-2);
      }
      expect(trainer.stepCount).toBe(4);
      // a batch with fewer rows than workers: worker 1 gets an empty shard and still applies the update
      const one = await trainer.step({ x: x.slice([0], [1]), y: y.slice([0], [1]) });
      expect(one.rows).toBe(1);
      const w0 = await trainer.weights(0);
      const w1 = await trainer.weights(1);
      for (const n of trainer.paramNames) expect(Array.from(w1[n]!.data)).toEqual(Array.from(w0[n]!.data));
    } finally {
      await trainer.close();
      opt.dispose();
      ref.dispose();
    }
  });

  it('a step that throws in a worker surfaces as ParallelWorkerError and stops every worker', async () => {
    const trainer = await DataParallelTrainer.create(
      { module: fixture, exportName: 'buildTiny', options: { failAtStep: 1 } },
      { workers: 2 },
    );
    await trainer.step({ x, y });
    const e = await trainer.step({ x, y }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ParallelWorkerError);
    expect((e as ParallelWorkerError).worker).toBe(1);
    expect((e as ParallelWorkerError).remoteName).toBe('RangeError');
    expect((e as Error).message).toMatch(/planned failure at step 1/);
    await expect(trainer.weights(0)).rejects.toBeInstanceOf(ParallelWorkerError);
    await trainer.close();
  });

  it('refuses replicas with different parameters, and a module without the export', async () => {
    await expect(DataParallelTrainer.create({ module: fixture, exportName: 'buildMismatched' }, { workers: 2 })).rejects.toThrow(
      /worker 1: built different parameters/,
    );
    const e = await DataParallelTrainer.create({ module: fixture, exportName: 'noSuchBuilder' }, { workers: 2 }).catch(
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ParallelWorkerError);
    expect((e as Error).message).toMatch(/no exported function 'noSuchBuilder'/);
  });

  it('abort rejects the pending step with AbortError and terminates the workers', async () => {
    const ac = new AbortController();
    const trainer = await DataParallelTrainer.create({ module: fixture, exportName: 'buildSlow' }, { workers: 2, signal: ac.signal });
    const pending = trainer.step({ x, y });
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - t0).toBeLessThan(30_000); // the busy worker (60 s loop) was terminated, not awaited
    await expect(trainer.step({ x, y })).rejects.toBeInstanceOf(AbortError);
    await trainer.close();
  });

  it('fitParallel trains over an array dataset and lowers the loss', async () => {
    const n = 24;
    const xs = tf.randomNormal([n, 8, 16], 0, 1, 'float32', 21);
    const ys = tf.tidy(() => tf.tanh(tf.slice(xs, [0, 0, 0], [n, 8, 4])));
    const res = await fitParallel(
      { module: fixture, exportName: 'buildTiny', options: { lr: 1e-2 } },
      { x: xs, y: ys },
      { epochs: 4, batchSize: 8, workers: 2, seed: 3 },
    );
    expect(res.globalStep).toBe(12);
    expect(res.history.loss).toHaveLength(4);
    expect(res.history.loss[3]!).toBeLessThan(res.history.loss[0]!);
    expect(Object.keys(res.weights).length).toBeGreaterThan(0);
    tf.dispose([xs, ys]);
  });
});
