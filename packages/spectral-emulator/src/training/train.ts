import { tf, AbortError, ValueError } from '@astro/core';
import { Rng } from '@astro/core/nn';
import { AdamW, type LrSchedule } from '@astro/core/optim';
import type { SpectraDataset } from './dataset.js';

/** Per-pixel loss: mean absolute error (The Payne) or mean squared error. */
export type SpectrumLoss = 'l1' | 'mse';

/** A model that {@link trainEmulator} can train. */
export interface TrainableEmulator {
  /** Every parameter with its dotted name. */
  namedParameters(): [string, tf.Variable][];
  /**
   * Scalar loss on one batch: physical labels [B, k], flux [B, P] on the model's grid.
   * `rng` drives any per-step randomness (e.g. TransformerPayne's wavelength subsets).
   */
  batchLoss(labels: tf.Tensor2D, flux: tf.Tensor2D, loss: SpectrumLoss, rng: Rng): tf.Scalar;
  /** Training FLOPs per sample (forward + backward ≈ 3× forward), for scaling laws. */
  trainFlopsPerSample(): number;
}

/** Progress report after each logged step. */
export interface TrainProgress {
  step: number;
  totalSteps: number;
  loss: number;
  lr: number;
}

/** Options of {@link trainEmulator}. */
export interface TrainOptions {
  /** Number of optimiser steps (default: `epochs` passes over the data). */
  steps?: number;
  /** Passes over the data when `steps` is not given (default 10). */
  epochs?: number;
  /** Spectra per step (default 32, capped at the dataset size). */
  batchSize?: number;
  /** Peak learning rate or a schedule (default 1e-3). */
  lr?: number | LrSchedule;
  /** Decoupled weight decay (default 0). */
  weightDecay?: number;
  /** Loss (default `'l1'`, as The Payne). */
  loss?: SpectrumLoss;
  /** Seed of the batch order and any per-step randomness (default 0). */
  seed?: number;
  /** Clip the global gradient norm (default: no clipping). */
  clipGradNorm?: number;
  /** Per-parameter learning-rate multipliers by dotted name (e.g. muP); every parameter needs one. */
  lrMultipliers?: Readonly<Record<string, number>>;
  /** Called every `logEvery` steps (default 10) and at the end. */
  onProgress?: (p: TrainProgress) => void;
  logEvery?: number;
  /** Abort between steps. */
  signal?: AbortSignal;
}

/** What {@link trainEmulator} returns. */
export interface TrainResult {
  steps: number;
  /** Loss of each step (before its update). */
  losses: Float32Array;
  /** Mean loss over the last 10% of steps. */
  finalLoss: number;
  /** Spectra seen (steps × batch). */
  samplesSeen: number;
  /** Training compute, FLOPs (samples seen × model's per-sample training FLOPs). */
  flops: number;
}

/**
 * Train an emulator with AdamW on seeded shuffled mini-batches (each epoch a new permutation),
 * minimising `loss` between emulated and target flux. The data are uploaded once; batches are
 * gathered on the device. No tensors leak across steps.
 */
export async function trainEmulator(model: TrainableEmulator, data: SpectraDataset, opts: TrainOptions = {}): Promise<TrainResult> {
  const batch = Math.min(opts.batchSize ?? 32, data.rows);
  if (!(batch >= 1)) throw new ValueError(`trainEmulator: batchSize must be ≥ 1, got ${opts.batchSize}`);
  const perEpoch = Math.max(1, Math.floor(data.rows / batch));
  const steps = opts.steps ?? perEpoch * (opts.epochs ?? 10);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new ValueError(`trainEmulator: steps must be a positive integer, got ${steps}`);
  const lossName = opts.loss ?? 'l1';
  if (lossName !== 'l1' && lossName !== 'mse') throw new ValueError(`trainEmulator: loss must be 'l1' or 'mse', got '${String(lossName)}'`);
  const params = model.namedParameters();
  const mult = opts.lrMultipliers;
  if (mult) {
    const missing = params.map(([n]) => n).filter((n) => !(n in mult));
    if (missing.length) throw new ValueError(`trainEmulator: lrMultipliers has no entry for ${missing.join(', ')}`);
  }
  const opt = new AdamW(params, {
    lr: opts.lr ?? 1e-3,
    weightDecay: opts.weightDecay ?? 0,
    ...(mult ? { groups: [{ match: () => true, name: 'mup', lrMultiplier: (n: string) => mult[n]! }] } : {}),
    ...(opts.clipGradNorm ? { clipGradNorm: opts.clipGradNorm } : {}),
  });
  const rng = new Rng(opts.seed ?? 0);
  const X = tf.tensor2d(Float32Array.from(data.labels), [data.rows, data.numLabels]);
  const Y = tf.tensor2d(data.flux, [data.rows, data.numPixels]);
  const losses = new Float32Array(steps);
  const logEvery = opts.logEvery ?? 10;
  let order: Int32Array<ArrayBuffer> = new Int32Array(0);
  try {
    for (let s = 0; s < steps; s++) {
      if (opts.signal?.aborted) throw new AbortError(`trainEmulator aborted at step ${s}`);
      const pos = (s % perEpoch) * batch;
      if (pos === 0) order = permutation(data.rows, rng);
      const idx = tf.tensor1d(order.subarray(pos, pos + batch), 'int32');
      const lr = opt.currentLr();
      const { loss } = opt.minimize(() =>
        tf.tidy(() => model.batchLoss(tf.gather(X, idx) as tf.Tensor2D, tf.gather(Y, idx) as tf.Tensor2D, lossName, rng)),
      );
      idx.dispose();
      losses[s] = (await loss.data())[0]!;
      loss.dispose();
      if (!Number.isFinite(losses[s]!)) throw new ValueError(`trainEmulator: loss became ${losses[s]} at step ${s} (lr too high?)`);
      if (opts.onProgress && ((s + 1) % logEvery === 0 || s === steps - 1)) {
        opts.onProgress({ step: s + 1, totalSteps: steps, loss: losses[s]!, lr });
      }
    }
  } finally {
    X.dispose();
    Y.dispose();
    opt.dispose();
  }
  const tail = Math.max(1, Math.round(steps / 10));
  let sum = 0;
  for (let i = steps - tail; i < steps; i++) sum += losses[i]!;
  const samplesSeen = steps * batch;
  return { steps, losses, finalLoss: sum / tail, samplesSeen, flops: samplesSeen * model.trainFlopsPerSample() };
}

/** Loss between prediction and target (same shape): mean |Δ| or mean Δ². */
export function spectrumLoss(pred: tf.Tensor, target: tf.Tensor, loss: SpectrumLoss): tf.Scalar {
  return tf.tidy(() => {
    const d = tf.sub(pred, target);
    return (loss === 'l1' ? tf.mean(tf.abs(d)) : tf.mean(tf.square(d))) as tf.Scalar;
  });
}

function permutation(n: number, rng: Rng): Int32Array<ArrayBuffer> {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
