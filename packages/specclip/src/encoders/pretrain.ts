import { tf, ShapeError, ValueError, type Rng } from '@astro/core';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream, type FitProgress } from '@astro/core/train';
import { patchify, chunkMask } from './patches.js';
import { maskedReconstructionLoss } from './masked-loss.js';
import type { SpectrumTransformer } from './spectrum-transformer.js';
import type { XpAutoencoder } from './xp-autoencoder.js';

/** Options shared by the pre-training loops. */
export interface PretrainOptions {
  epochs: number;
  batchSize?: number;
  /** Peak learning rate (default 1e-3), warm-up over the first 5% of steps then cosine decay. */
  lr?: number;
  weightDecay?: number;
  seed?: number;
  /** Progress after every step and epoch (core's `FitProgress`; `phase: 'epoch'` carries the epoch's mean loss). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** Abort between steps (rejects with an `AbortError`). */
  signal?: AbortSignal;
}

/** Rows of each batch of an epoch: a fresh permutation from the epoch's generator. */
function* batchOrder(n: number, batchSize: number, rng: Rng): Generator<Int32Array> {
  const idx = rng.permutation(n);
  for (let s = 0; s < n; s += batchSize) yield idx.subarray(s, Math.min(n, s + batchSize));
}

/** The options core's `fit` takes from {@link PretrainOptions}. */
export function fitOptionsOf(opts: PretrainOptions): {
  seed: number;
  progressBar: false;
  onProgress?: (p: FitProgress) => void | Promise<void>;
  signal?: AbortSignal;
} {
  return {
    seed: opts.seed ?? 0,
    progressBar: false,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

/** Options of {@link pretrainMasked}. */
export interface MaskedPretrainOptions extends PretrainOptions {
  /** Fraction of tokens masked per spectrum (default 0.3). */
  maskRatio?: number;
  /** Tokens per masked chunk (default 4). */
  chunk?: number;
}

function gather(x: Float32Array, width: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(x.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

function checkCommon(opts: PretrainOptions): void {
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1)
    throw new ValueError(`pretrain: epochs must be a positive integer, got ${opts.epochs}`);
}

/**
 * Pre-train a {@link SpectrumTransformer} by masked modelling on flux [n, pixels]: each step
 * chunk-masks tokens, encodes, reconstructs masked patches and minimises
 * {@link maskedReconstructionLoss} with AdamW. Returns the mean loss of each epoch.
 * @throws {ShapeError} when flux is not n × the encoder's pixel count.
 */
export async function pretrainMasked(model: SpectrumTransformer, flux: Float32Array, opts: MaskedPretrainOptions): Promise<number[]> {
  checkCommon(opts);
  const P = model.layout.pixels;
  if (flux.length % P !== 0 || flux.length === 0)
    throw new ShapeError(`pretrainMasked: flux length ${flux.length} is not a multiple of ${P} pixels`);
  const n = flux.length / P;
  const bs = opts.batchSize ?? 32;
  const steps = opts.epochs * Math.ceil(n / bs);
  const lr = opts.lr ?? 1e-3;
  const opt = new AdamW(model.trainableParameters(), {
    lr: warmupCosine({ peakLr: lr, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
    weightDecay: opts.weightDecay ?? 0.01,
  });
  type MaskedBatch = { patches: tf.Tensor3D; observed: tf.Tensor3D; logStd: tf.Tensor2D; mask: tf.Tensor2D };
  const layout = model.layout;
  const maskRatio = opts.maskRatio ?? 0.3;
  const chunk = opts.chunk ?? 4;
  const stream: BatchStream<MaskedBatch> = {
    numBatches: Math.ceil(n / bs),
    *batches(_epoch, rng) {
      // one permutation per epoch, then each batch's chunk masks, all from the epoch's stream
      for (const rows of batchOrder(n, bs, rng)) {
        const x = patchify(gather(flux, P, rows), layout);
        const mask = tf.tensor2d(chunkMask(rows.length, layout.tokens, maskRatio, chunk, rng), [rows.length, layout.tokens]);
        yield { ...x, mask };
      }
    },
  };
  model.train();
  try {
    const r = await fit(model, stream, {
      epochs: opts.epochs,
      optimizer: opt,
      step: (b) => maskedReconstructionLoss(model.reconstruct(model.forward(b.patches, b.logStd, b.mask)), b.patches, b.observed, b.mask),
      ...fitOptionsOf(opts),
    });
    return r.history.loss;
  } finally {
    opt.dispose();
    model.eval();
  }
}

/**
 * Pre-train an {@link XpAutoencoder} on x [n, inputs] (already standardised) by mean squared
 * reconstruction error with AdamW. Returns the mean loss of each epoch.
 */
export async function pretrainAutoencoder(model: XpAutoencoder, x: Float32Array, opts: PretrainOptions): Promise<number[]> {
  checkCommon(opts);
  const F = model.inputs;
  if (x.length % F !== 0 || x.length === 0)
    throw new ShapeError(`pretrainAutoencoder: input length ${x.length} is not a multiple of ${F} features`);
  const n = x.length / F;
  const bs = opts.batchSize ?? 64;
  const steps = opts.epochs * Math.ceil(n / bs);
  const opt = new AdamW(model.trainableParameters(), {
    lr: warmupCosine({ peakLr: opts.lr ?? 1e-3, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
    weightDecay: opts.weightDecay ?? 0.01,
  });
  const stream: BatchStream<tf.Tensor2D> = {
    numBatches: Math.ceil(n / bs),
    *batches(_epoch, rng) {
      for (const rows of batchOrder(n, bs, rng)) yield tf.tensor2d(gather(x, F, rows), [rows.length, F]);
    },
  };
  try {
    const r = await fit(model, stream, { epochs: opts.epochs, optimizer: opt, step: (xb) => model.loss(xb), ...fitOptionsOf(opts) });
    return r.history.loss;
  } finally {
    opt.dispose();
  }
}
