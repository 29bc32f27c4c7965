import { beforeAll, describe, expect, it } from 'vitest';
import { AbortError, ready, Rng, tf, ValueError } from '../../src/index.js';
import { AdamW } from '../../src/optim/index.js';
import { fit, tensorBatches, type BatchStream, type FitProgress, type StepFn, type TrainingCheckpoint } from '../../src/train/index.js';
import { ShapeError } from '../../src/index.js';
import { TinyLinear, TinyMLP } from '../optim/tiny-mlp.js';
import { cloneCheckpoint, weightsOf } from './helpers.js';

/** Two views of 64 latent points: a = z·A + noise, b = z·B + noise (8-d each, 4-d latent). */
function pairedViews(n: number, seed: number): { a: Float32Array; b: Float32Array } {
  const r = new Rng(seed);
  const A = r.fillNormal(new Float64Array(4 * 8));
  const B = r.fillNormal(new Float64Array(4 * 8));
  const a = new Float32Array(n * 8);
  const b = new Float32Array(n * 8);
  for (let i = 0; i < n; i++) {
    const z = r.fillNormal(new Float64Array(4));
    for (let j = 0; j < 8; j++) {
      let sa = 0;
      let sb = 0;
      for (let k = 0; k < 4; k++) {
        sa += z[k]! * A[k * 8 + j]!;
        sb += z[k]! * B[k * 8 + j]!;
      }
      a[i * 8 + j] = sa + r.normal(0, 0.1);
      b[i * 8 + j] = sb + r.normal(0, 0.1);
    }
  }
  return { a, b };
}

interface Pair {
  a: tf.Tensor2D;
  b: tf.Tensor2D;
}

/** A batch stream of aligned pairs, shuffled each epoch from the loop's rng (async, for the test). */
function pairStream(a: tf.Tensor2D, b: tf.Tensor2D, batch: number): BatchStream<Pair> {
  const n = a.shape[0];
  return {
    numBatches: Math.ceil(n / batch),
    async *batches(_epoch, rng) {
      const order = rng.permutation(n);
      for (let s = 0; s < n; s += batch) {
        const idx = tf.tensor1d(order.subarray(s, s + batch), 'int32');
        const out = { a: tf.gather(a, idx) as tf.Tensor2D, b: tf.gather(b, idx) as tf.Tensor2D };
        idx.dispose();
        await Promise.resolve();
        yield out;
      }
    },
  };
}

/** Symmetric InfoNCE (CLIP) loss of L2-normalised embeddings at temperature τ. */
function infoNce(za: tf.Tensor2D, zb: tf.Tensor2D, tau: number): tf.Scalar {
  const na = tf.div(za, tf.norm(za, 2, 1, true));
  const nb = tf.div(zb, tf.norm(zb, 2, 1, true));
  const logits = tf.div(tf.matMul(na, nb, false, true), tau);
  const labels = tf.oneHot(tf.range(0, za.shape[0], 1, 'int32'), za.shape[0]);
  const l1 = tf.losses.softmaxCrossEntropy(labels, logits);
  const l2 = tf.losses.softmaxCrossEntropy(labels, tf.transpose(logits));
  return tf.div(tf.add(l1, l2), 2) as tf.Scalar;
}

describe('fit with a custom step and batch sources [cpu]', () => {
  beforeAll(async () => {
    await ready({ backend: 'cpu', strict: true });
  });

  const views = pairedViews(96, 3);
  const encoders = (): { a: TinyMLP; b: TinyMLP } => ({ a: new TinyMLP(8, 16, 4, 5), b: new TinyMLP(8, 16, 4, 9) });
  const clipStep: StepFn<Pair> = (batch, ctx) => {
    expect(ctx.training).toBe(true);
    return infoNce(enc.a.forward(batch.a) as tf.Tensor2D, enc.b.forward(batch.b) as tf.Tensor2D, 0.2);
  };
  let enc: { a: TinyMLP; b: TinyMLP };

  it('trains two encoders with an InfoNCE loss from an async pair stream, lowers the loss and aligns the views', async () => {
    enc = encoders();
    const a = tf.tensor2d(views.a, [96, 8]);
    const b = tf.tensor2d(views.b, [96, 8]);
    const top1 = async (): Promise<number> => {
      const s = tf.tidy(() => tf.argMax(tf.matMul(enc.a.forward(a), enc.b.forward(b), false, true), 1));
      const v = await s.data();
      s.dispose();
      return v.filter((j, i) => j === i).length / 96;
    };
    const chance = await top1();
    const steps: FitProgress[] = [];
    const opt = new AdamW([...enc.a.namedParameters('a.'), ...enc.b.namedParameters('b.')], { lr: 1e-2 });
    const before = tf.memory().numTensors;
    const res = await fit(enc, pairStream(a, b, 32), {
      epochs: 30,
      seed: 1,
      step: clipStep,
      optimizer: opt,
      progressBar: false,
      onProgress: (p) => void steps.push(p),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(res.globalStep).toBe(90);
    expect(steps.filter((p) => p.phase === 'epoch')).toHaveLength(30);
    expect(steps[0]!.batchesPerEpoch).toBe(3);
    // log(32) ≈ 3.47 at random; the loss must fall well below it
    expect(res.history.loss[0]!).toBeGreaterThan(2.5);
    expect(res.history.loss.at(-1)!).toBeLessThan(0.5 * res.history.loss[0]!);
    const acc = await top1();
    // top-1 retrieval among all 96 pairs (chance ≈ 1%)
    expect(acc).toBeGreaterThan(0.15);
    expect(acc).toBeGreaterThan(chance + 0.1);
    opt.dispose();
    tf.dispose([a, b]);
    enc.a.dispose();
    enc.b.dispose();
  });

  it('resumes a step-based run with ctx.rng noise exactly, and keeps the tensor count flat', async () => {
    const a = tf.tensor2d(views.a, [96, 8]);
    const b = tf.tensor2d(views.b, [96, 8]);
    const noisyStep: StepFn<Pair> = (batch, ctx) => {
      // augmentation drawn from the step's own stream: must be reproduced on resume
      const noise = tf.tensor(ctx.rng.fillNormal(new Float32Array(batch.a.size), 0, 0.05), batch.a.shape);
      return infoNce(enc.a.forward(tf.add(batch.a, noise)) as tf.Tensor2D, enc.b.forward(batch.b) as tf.Tensor2D, 0.2);
    };
    const run = async (
      resumeFrom?: TrainingCheckpoint,
    ): Promise<{ w: Record<string, Float32Array>; ck: TrainingCheckpoint[]; loss: number[] }> => {
      enc = encoders();
      const ck: TrainingCheckpoint[] = [];
      const opts = {
        epochs: 4,
        seed: 7,
        step: noisyStep,
        progressBar: false,
        checkpoint: { everySteps: 5, save: (c: TrainingCheckpoint) => void ck.push(cloneCheckpoint(c)) },
        ...(resumeFrom ? { resumeFrom } : {}),
      };
      const res = await fit(enc, pairStream(a, b, 32), opts);
      const w = {
        ...(await weightsOf(enc.a)),
        ...Object.fromEntries(Object.entries(await weightsOf(enc.b)).map(([k, v]) => [`b.${k}`, v])),
      };
      enc.a.dispose();
      enc.b.dispose();
      return { w, ck, loss: res.history.loss };
    };
    const before = tf.memory().numTensors;
    const full = await run();
    expect(full.ck.map((c) => c.meta.globalStep)).toEqual([5, 10]);
    expect(
      Object.keys(full.ck[0]!.tensors)
        .filter((k) => k.startsWith('model.'))
        .sort()[0],
    ).toBe('model.a.fc1.bias');
    const resumed = await run(full.ck[0]);
    expect(resumed.loss).toEqual(full.loss);
    expect(resumed.w).toEqual(full.w);
    for (const c of [...full.ck, ...resumed.ck]) tf.dispose(Object.values(c.tensors));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it('trains only the given params (a frozen-by-choice encoder and a raw variable), with model = null too', async () => {
    const lin = new TinyLinear(3, 1, 4);
    const scale = tf.variable(tf.scalar(0.1));
    const x = tf.randomNormal([64, 3], 0, 1, 'float32', 2);
    const y = tf.tidy(() => tf.mul(3, tf.sum(x, 1, true)));
    const w0 = await lin.weight.data();
    const res = await fit(
      lin,
      { x, y },
      {
        epochs: 100,
        batchSize: 64,
        params: { scale },
        optimizer: new AdamW([['scale', scale]], { lr: 0.1 }),
        step: (batch) => tf.mean(tf.square(tf.sub(tf.mul(scale, tf.sum(batch.x, 1, true)), batch.y))),
        progressBar: false,
      },
    );
    expect(await lin.weight.data()).toEqual(w0); // not in params: untouched
    expect((await scale.data())[0]).toBeCloseTo(3, 1);
    expect(res.history.loss.at(-1)!).toBeLessThan(0.03);
    // no module at all
    const bias = tf.variable(tf.scalar(0));
    const ones = tf.onesLike(y);
    await fit(
      null,
      { x, y: ones },
      {
        epochs: 100,
        batchSize: 64,
        params: [['bias', bias]],
        optimizer: new AdamW([['bias', bias]], { lr: 0.1 }),
        step: (batch) => tf.mean(tf.square(tf.sub(bias, batch.y))),
        progressBar: false,
      },
    );
    expect((await bias.data())[0]).toBeCloseTo(1, 1);
    tf.dispose([x, y, ones, scale, bias]);
    lin.dispose();
  });

  it('validates with valStep over a stream, or with validate(); early stopping watches it', async () => {
    const m = new TinyMLP(3, 8, 1, 3);
    const x = tf.randomUniform([80, 3], -1, 1, 'float32', 5);
    const y = tf.tidy(() => tf.sum(tf.sin(x), 1, true));
    const stream: BatchStream<{ x: tf.Tensor; y: tf.Tensor }> = {
      *batches() {
        yield { x: tf.slice(x, [60, 0], [20, 3]), y: tf.slice(y, [60, 0], [20, 1]) };
      },
    };
    const seen: boolean[] = [];
    const step: StepFn<{ x: tf.Tensor; y: tf.Tensor }> = (b, ctx) => {
      seen.push(ctx.training);
      return tf.losses.meanSquaredError(b.y, m.forward(b.x)) as tf.Scalar;
    };
    const train = { x: tf.slice(x, [0, 0], [60, 3]), y: tf.slice(y, [0, 0], [60, 1]) };
    const res = await fit(m, train, { epochs: 3, batchSize: 20, step, valStep: step, validationData: stream, progressBar: false });
    expect(res.history.valLoss).toHaveLength(3);
    expect(seen.filter((t) => !t)).toHaveLength(3); // one validation batch per epoch, in eval mode
    const calls: number[] = [];
    const res2 = await fit(m, train, {
      epochs: 5,
      batchSize: 20,
      validate: ({ epoch }) => {
        calls.push(epoch);
        return [3, 2, 2.5, 2.6, 2.7][epoch]!;
      },
      earlyStopping: { patience: 2 },
      progressBar: false,
    });
    expect(calls).toEqual([0, 1, 2, 3]);
    expect(res2.stoppedEarly).toBe(true);
    expect(res2.bestEpoch).toBe(1);
    tf.dispose([x, y, train.x, train.y]);
    m.dispose();
  });

  it('aborts with AbortError and refuses bad options with ValueErrors that name them', async () => {
    const m = new TinyMLP();
    const x = tf.randomUniform([40, 3], -1, 1, 'float32', 1);
    const y = tf.randomUniform([40, 2], -1, 1, 'float32', 2);
    const ac = new AbortController();
    const before = tf.memory().numTensors;
    const p = fit(
      m,
      { x, y },
      {
        epochs: 3,
        batchSize: 10,
        step: (b) => tf.losses.meanSquaredError(b.y, m.forward(b.x)) as tf.Scalar,
        signal: ac.signal,
        onProgress: (e) => {
          if (e.globalStep === 2) ac.abort();
        },
        progressBar: false,
      },
    );
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(tf.memory().numTensors).toBe(before);
    await expect(fit(m, { x, y }, { epochs: -1 })).rejects.toThrow(ValueError);
    await expect(fit(m, { x, y }, { epochs: -1 })).rejects.toThrow(/epochs must be an integer ≥ 1, got -1/);
    await expect(fit(m, { x, y }, { epochs: 1, step: () => tf.ones([2]) as unknown as tf.Scalar, progressBar: false })).rejects.toThrow(
      /step must return a scalar loss tensor, got shape \[2\]/,
    );
    await expect(
      fit(m, { x, y }, { epochs: 1, step: (b) => tf.mul(tf.sum(m.forward(b.x)), NaN) as tf.Scalar, progressBar: false }),
    ).rejects.toThrow(/loss is NaN at epoch 1, batch 1/);
    await expect(fit(null, { x, y }, { epochs: 1, step: () => tf.scalar(1) })).rejects.toThrow(/nothing to train/);
    const stream: BatchStream<{ x: tf.Tensor }> = { *batches() {} };
    await expect(fit(m, stream, { epochs: 1, step: () => tf.scalar(1), progressBar: false })).rejects.toThrow(
      /epoch 1 produced no batches/,
    );
    await expect(fit(m, stream, { epochs: 1, step: () => tf.scalar(1), validationSplit: 0.2 })).rejects.toThrow(
      /validationSplit needs an array dataset/,
    );
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('tensorBatches: seeded shuffled batches of named tensors that share rows, disposed by fit', async () => {
    const a = tf.tensor2d(Array.from({ length: 10 }, (_, i) => [i, -i]));
    const b = tf.tensor1d(Array.from({ length: 10 }, (_, i) => i));
    const s = tensorBatches({ a, b }, { batchSize: 4 });
    expect(s.numBatches).toBe(3);
    const rows: number[][] = [];
    for (const batch of s.batches(0, new Rng(5))) {
      const [va, vb] = [(await batch.a.array()) as number[][], (await batch.b.array()) as number[]];
      expect(va.map((r) => r[0])).toEqual(vb); // rows stay aligned across tensors
      rows.push(vb);
      tf.dispose([batch.a, batch.b]);
    }
    expect(rows.map((r) => r.length)).toEqual([4, 4, 2]);
    expect(rows.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows.flat()).toEqual(Array.from(new Rng(5).permutation(10))); // the order is the rng's permutation
    expect(tensorBatches({ a, b }, { batchSize: 4, dropLast: true }).numBatches).toBe(2);
    const c = tf.zeros([9]);
    expect(() => tensorBatches({ a, c }, { batchSize: 4 })).toThrow(ShapeError);
    expect(() => tensorBatches({ a, c }, { batchSize: 4 })).toThrow(/'c' has shape \[9\] but 'a' has 10 rows/);
    expect(() => tensorBatches({ a }, { batchSize: 0 })).toThrow(/batchSize must be an integer ≥ 1, got 0/);
    // through fit: the source tensors survive, the batches do not leak
    const m = new TinyMLP(2, 4, 1, 1);
    const before = tf.memory().numTensors;
    await fit(m, tensorBatches({ a, b }, { batchSize: 4 }), {
      epochs: 2,
      step: (batch) => tf.losses.meanSquaredError(tf.reshape(batch.b, [-1, 1]), m.forward(batch.a)) as tf.Scalar,
      progressBar: false,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.isDisposed || b.isDisposed).toBe(false);
    tf.dispose([a, b, c]);
    m.dispose();
  });
});
