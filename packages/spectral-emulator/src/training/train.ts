import { tf, ValueError, type Rng } from '@astro/core';
import { AdamW, type LrSchedule } from '@astro/core/optim';
import { fit, type BatchStream, type FitProgress } from '@astro/core/train';
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
 * minimising `loss` between emulated and target flux, through core's `fit` loop (seeded from core's
 * `Rng`, abortable with `AbortError`, a NaN/Inf loss is a `ValueError` before its update). The data
 * are uploaded once; batches are gathered on the device. No tensors leak across steps.
 */
export async function trainEmulator(model: TrainableEmulator, data: SpectraDataset, opts: TrainOptions = {}): Promise<TrainResult> {
  return runTraining(model, data, opts);
}

/** Options of a model's `fit` (the house contract): {@link TrainOptions} with core's `FitProgress` events. */
export type EmulatorFitOptions = Omit<TrainOptions, 'onProgress' | 'logEvery'> & {
  /** Every step and epoch event of core's `fit` (awaited). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
};

/** {@link trainEmulator} with core's progress events passed through (the models' `fit`). */
export function fitEmulator(model: TrainableEmulator, data: SpectraDataset, opts: EmulatorFitOptions): Promise<TrainResult> {
  const { onProgress, ...rest } = opts;
  return runTraining(model, data, rest, onProgress);
}

async function runTraining(
  model: TrainableEmulator,
  data: SpectraDataset,
  opts: TrainOptions,
  fitProgress?: (p: FitProgress) => void | Promise<void>,
): Promise<TrainResult> {
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
  const X = tf.tensor2d(Float32Array.from(data.labels), [data.rows, data.numLabels]);
  const Y = tf.tensor2d(data.flux, [data.rows, data.numPixels]);
  const losses = new Float32Array(steps);
  const logEvery = opts.logEvery ?? 10;
  // `steps` optimiser steps as whole epochs of `perEpoch` batches (a new permutation each epoch from
  // the epoch's stream); the last epoch stops at `steps`. Batches are row indices: the data stay on the device.
  const epochs = Math.ceil(steps / perEpoch);
  const stream: BatchStream<tf.Tensor1D> = {
    numBatches: perEpoch,
    *batches(epoch, rng) {
      const order = rng.permutation(data.rows);
      const count = Math.min(perEpoch, steps - epoch * perEpoch);
      for (let b = 0; b < count; b++) yield tf.tensor1d(order.subarray(b * batch, (b + 1) * batch), 'int32');
    },
  };
  try {
    await fit(null, stream, {
      epochs,
      params: model.namedParameters(),
      optimizer: opt,
      seed: opts.seed ?? 0,
      progressBar: false,
      batchRows: () => batch,
      // ctx.rng: this step's own stream (TransformerPayne's wavelength subsets), reproducible on resume
      step: (idx, ctx) => model.batchLoss(tf.gather(X, idx) as tf.Tensor2D, tf.gather(Y, idx) as tf.Tensor2D, lossName, ctx.rng),
      onProgress: async (p) => {
        if (p.phase === 'step') {
          const s = p.globalStep - 1;
          losses[s] = p.loss;
          if (opts.onProgress && ((s + 1) % logEvery === 0 || s === steps - 1))
            opts.onProgress({ step: s + 1, totalSteps: steps, loss: p.loss, lr: p.lr });
        }
        if (fitProgress) await fitProgress(p);
      },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
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
