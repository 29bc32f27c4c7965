import { tf, ShapeError, ValueError, AbortError } from '@astro/core';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { Rng } from '@astro/core/data';
import { patchify, chunkMask } from './patches.js';
import { maskedReconstructionLoss } from './maskedLoss.js';
import type { SpectrumTransformer } from './spectrumTransformer.js';
import type { XpAutoencoder } from './xpAutoencoder.js';

/** Options shared by the pre-training loops. */
export interface PretrainOptions {
  epochs: number;
  batchSize?: number;
  /** Peak learning rate (default 1e-3), warm-up over the first 5% of steps then cosine decay. */
  lr?: number;
  weightDecay?: number;
  seed?: number;
  /** Called after each epoch with the mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
  signal?: AbortSignal;
}

/** Options of {@link pretrainMasked}. */
export interface MaskedPretrainOptions extends PretrainOptions {
  /** Fraction of tokens masked per spectrum (default 0.3). */
  maskRatio?: number;
  /** Tokens per masked chunk (default 4). */
  chunk?: number;
}

function* batchOrder(n: number, batchSize: number, rng: Rng): Generator<Int32Array> {
  const idx = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  for (let s = 0; s < n; s += batchSize) yield idx.subarray(s, Math.min(n, s + batchSize));
}

function gather(x: Float32Array, width: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(x.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

function checkCommon(opts: PretrainOptions): void {
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1) throw new ValueError(`pretrain: epochs must be a positive integer, got ${opts.epochs}`);
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
  if (flux.length % P !== 0 || flux.length === 0) throw new ShapeError(`pretrainMasked: flux length ${flux.length} is not a multiple of ${P} pixels`);
  const n = flux.length / P;
  const bs = opts.batchSize ?? 32;
  const steps = opts.epochs * Math.ceil(n / bs);
  const lr = opts.lr ?? 1e-3;
  const opt = new AdamW(model.trainableParameters(), {
    lr: warmupCosine({ peakLr: lr, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
    weightDecay: opts.weightDecay ?? 0.01,
  });
  const rng = Rng.fromSeed(opts.seed ?? 0);
  const history: number[] = [];
  model.train();
  try {
    for (let e = 0; e < opts.epochs; e++) {
      let sum = 0;
      let count = 0;
      for (const rows of batchOrder(n, bs, rng)) {
        if (opts.signal?.aborted) throw new AbortError('pretrainMasked aborted');
        const x = patchify(gather(flux, P, rows), model.layout);
        const mask = tf.tensor2d(chunkMask(rows.length, model.layout.tokens, opts.maskRatio ?? 0.3, opts.chunk ?? 4, rng), [rows.length, model.layout.tokens]);
        const { loss } = opt.minimize(() => maskedReconstructionLoss(model.reconstruct(model.forward(x.patches, x.logStd, mask)), x.patches, x.observed, mask));
        sum += (await loss.data())[0]! * rows.length;
        count += rows.length;
        tf.dispose([loss, mask, x.patches, x.observed, x.logStd]);
      }
      history.push(sum / count);
      opts.onEpoch?.(e, sum / count);
    }
  } finally {
    opt.dispose();
    model.eval();
  }
  return history;
}

/**
 * Pre-train an {@link XpAutoencoder} on x [n, inputs] (already standardised) by mean squared
 * reconstruction error with AdamW. Returns the mean loss of each epoch.
 */
export async function pretrainAutoencoder(model: XpAutoencoder, x: Float32Array, opts: PretrainOptions): Promise<number[]> {
  checkCommon(opts);
  const F = model.inputs;
  if (x.length % F !== 0 || x.length === 0) throw new ShapeError(`pretrainAutoencoder: input length ${x.length} is not a multiple of ${F} features`);
  const n = x.length / F;
  const bs = opts.batchSize ?? 64;
  const steps = opts.epochs * Math.ceil(n / bs);
  const opt = new AdamW(model.trainableParameters(), {
    lr: warmupCosine({ peakLr: opts.lr ?? 1e-3, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
    weightDecay: opts.weightDecay ?? 0.01,
  });
  const rng = Rng.fromSeed(opts.seed ?? 0);
  const history: number[] = [];
  try {
    for (let e = 0; e < opts.epochs; e++) {
      let sum = 0;
      for (const rows of batchOrder(n, bs, rng)) {
        if (opts.signal?.aborted) throw new AbortError('pretrainAutoencoder aborted');
        const xb = tf.tensor2d(gather(x, F, rows), [rows.length, F]);
        const { loss } = opt.minimize(() => model.loss(xb));
        sum += (await loss.data())[0]! * rows.length;
        tf.dispose([loss, xb]);
      }
      history.push(sum / n);
      opts.onEpoch?.(e, sum / n);
    }
  } finally {
    opt.dispose();
  }
  return history;
}
