/**
 * Self-supervised pre-training: next-patch regression with a masked Huber loss, AdamW with
 * linear warm-up and cosine decay, global-norm clipping, seeded minibatches — one objective
 * (`step`) run by core's `fit` loop.
 */
import { tf, ValueError, type Rng } from '@astro/core';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream, type FitProgress } from '@astro/core/train';
import type { LightCurveGPT } from './gpt.js';
import { maskedHuber } from './loss.js';
import type { PatchWindows } from './tokens.js';

/** Options of {@link pretrain}. */
export interface PretrainOptions {
  /** Optimiser steps (give this or `epochs`). */
  steps?: number;
  /** Passes over the windows, each floor(windows / batchSize) steps (give this or `steps`). */
  epochs?: number;
  /** Windows per step (default 16; at most the number of windows). */
  batchSize?: number;
  /** Peak learning rate (default 1e-3). */
  lr?: number;
  /** Warm-up steps (default 10 % of steps). */
  warmupSteps?: number;
  /** AdamW weight decay (default 0.01). */
  weightDecay?: number;
  /** Huber δ in standardised flux units (default 1). */
  huberDelta?: number;
  /** Seed of the minibatch order (core's `fit`; default 0). */
  seed?: number;
  /** Progress after every step and epoch (core's `FitProgress`). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** Abort between steps: `pretrain` then rejects with an `AbortError`. */
  signal?: AbortSignal;
}

/** One minibatch of windows as tensors. */
export interface WindowBatch {
  /** [B, T, P] standardised flux. */
  flux: tf.Tensor3D;
  /** [B, T, P] observed-cadence mask. */
  mask: tf.Tensor3D;
  /** [B, T] patch times (days). */
  time: tf.Tensor2D;
}

/** Copy windows `idx` of `w` into one {@link WindowBatch}. */
export function windowBatch(w: PatchWindows, idx: ArrayLike<number>): WindowBatch {
  const T = w.numPatches;
  const P = w.patchSize;
  const n = idx.length;
  const f = new Float32Array(n * T * P);
  const m = new Float32Array(n * T * P);
  const t = new Float32Array(n * T);
  for (let i = 0; i < n; i++) {
    const k = idx[i]!;
    f.set(w.flux.subarray(k * T * P, (k + 1) * T * P), i * T * P);
    m.set(w.mask.subarray(k * T * P, (k + 1) * T * P), i * T * P);
    t.set(w.timeDays.subarray(k * T, (k + 1) * T), i * T);
  }
  return { flux: tf.tensor3d(f, [n, T, P]), mask: tf.tensor3d(m, [n, T, P]), time: tf.tensor2d(t, [n, T]) };
}

/**
 * Minibatches of `batchSize` windows for core's `fit`, exactly `steps` of them in all: each
 * epoch is a fresh permutation of the windows (from the epoch's generator) cut into full
 * batches; the last epoch stops when `steps` is reached. Returns the stream and its epochs.
 */
export function windowBatches(w: PatchWindows, batchSize: number, steps: number): { stream: BatchStream<WindowBatch>; epochs: number } {
  const perEpoch = Math.max(1, Math.floor(w.windows / batchSize));
  const epochs = Math.ceil(steps / perEpoch);
  const stream: BatchStream<WindowBatch> = {
    numBatches: perEpoch,
    *batches(epoch: number, rng: Rng) {
      const order = rng.permutation(w.windows);
      const n = Math.min(perEpoch, steps - epoch * perEpoch);
      for (let b = 0; b < n; b++) yield windowBatch(w, order.subarray(b * batchSize, (b + 1) * batchSize));
    },
  };
  return { stream, epochs };
}

/** Masked next-patch Huber loss of `model` on a batch: position t predicts patch t + 1. */
export function batchNextPatchLoss(model: LightCurveGPT, b: WindowBatch, delta = 1): tf.Scalar {
  return tf.tidy(() => {
    const [n, T, P] = b.flux.shape;
    const pred = model.predictNext(b.flux, b.time);
    const p = tf.slice(pred, [0, 0, 0], [n, T - 1, P]);
    const y = tf.slice(b.flux, [0, 1, 0], [n, T - 1, P]);
    const mk = tf.slice(b.mask, [0, 1, 0], [n, T - 1, P]);
    return maskedHuber(p, y, mk, delta);
  });
}

/** Build the next-patch loss of `model` on windows `idx` of `w`. */
export function nextPatchLoss(model: LightCurveGPT, w: PatchWindows, idx: readonly number[], delta = 1): tf.Scalar {
  return tf.tidy(() => batchNextPatchLoss(model, windowBatch(w, idx), delta));
}

/**
 * Mean next-patch loss of `model` over all windows of `w` (masked Huber, each observed
 * predicted cadence weighted equally, as one big batch would), evaluated in batches of
 * `batchSize` windows and read back asynchronously (every backend). Returns NaN for no windows.
 */
export async function evaluateNextPatchLoss(
  model: LightCurveGPT,
  w: PatchWindows,
  opts: { batchSize?: number; huberDelta?: number } = {},
): Promise<number> {
  const T = w.numPatches;
  const P = w.patchSize;
  const bs = opts.batchSize ?? 64;
  let num = 0;
  let den = 0;
  for (let b = 0; b < w.windows; b += bs) {
    const idx = Array.from({ length: Math.min(bs, w.windows - b) }, (_, i) => b + i);
    let observed = 0;
    for (const k of idx) for (let i = P; i < T * P; i++) observed += w.mask[k * T * P + i]!;
    const l = nextPatchLoss(model, w, idx, opts.huberDelta ?? 1);
    const v = (await l.data())[0]!;
    l.dispose();
    num += v * observed;
    den += observed;
  }
  return den > 0 ? num / den : NaN;
}

/**
 * Pre-train `model` on windows `w` for `steps` AdamW steps (or `epochs` passes) (linear warm-up, cosine decay to
 * 0.1 × peak, global-norm clipping at 1) through core's `fit` with the next-patch objective:
 * seeded order, abort (`AbortError`), progress, no tensor leaks. Returns the per-step training
 * losses. Throws `ValueError` for no windows or a patch size that differs from the model's.
 */
export async function pretrain(model: LightCurveGPT, w: PatchWindows, opts: PretrainOptions): Promise<number[]> {
  if (w.windows < 1) throw new ValueError('pretrain: no windows');
  if (w.patchSize !== model.config.patchSize)
    throw new ValueError(`pretrain: windows have patchSize ${w.patchSize}, model ${model.config.patchSize}`);
  const bs = Math.min(opts.batchSize ?? 16, w.windows);
  if ((opts.steps === undefined) === (opts.epochs === undefined)) throw new ValueError('pretrain: give steps or epochs (exactly one)');
  const count = opts.steps ?? opts.epochs!;
  if (!(Number.isInteger(count) && count >= 1))
    throw new ValueError(`pretrain: ${opts.steps !== undefined ? 'steps' : 'epochs'} must be a positive integer, got ${count}`);
  const steps = opts.steps ?? count * Math.max(1, Math.floor(w.windows / bs));
  const peak = opts.lr ?? 1e-3;
  const lr = warmupCosine({
    peakLr: peak,
    warmupSteps: opts.warmupSteps ?? Math.max(1, Math.floor(steps / 10)),
    totalSteps: steps,
    minLr: peak * 0.1,
  });
  const optimizer = new AdamW(model.namedParameters(), { lr, weightDecay: opts.weightDecay ?? 0.01, clipGradNorm: 1 });
  const { stream, epochs } = windowBatches(w, bs, steps);
  const losses: number[] = [];
  try {
    await fit<WindowBatch>(model, stream, {
      epochs,
      optimizer,
      seed: opts.seed ?? 0,
      progressBar: false,
      step: (b) => batchNextPatchLoss(model, b, opts.huberDelta ?? 1),
      batchRows: (b) => b.flux.shape[0],
      onProgress: async (p) => {
        if (p.phase === 'step') losses.push(p.loss);
        await opts.onProgress?.(p);
      },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } finally {
    optimizer.dispose();
  }
  return losses;
}
