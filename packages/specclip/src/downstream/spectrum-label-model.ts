import { tf, ShapeError, ValueError } from '@astro/core';
import { Module } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream, type FitProgress } from '@astro/core/train';
import type { SpectrumTransformer } from '../encoders/spectrum-transformer.js';
import { patchify } from '../encoders/patches.js';
import { EmbeddingRegressor, fitRegressor, type LabelPrediction } from './regressor.js';

/** Options of {@link SpectrumLabelModel}. */
export interface SpectrumLabelModelOptions {
  /** Number of labels (e.g. 3: Teff, log g, [M/H]). */
  outputs: number;
  /** Hidden widths of the head (default [64, 64]). */
  hidden?: readonly number[];
  seed?: number;
}

/**
 * Stellar labels straight from spectra: a {@link SpectrumTransformer} (`encoder.*`), the mean of its
 * output tokens as the embedding [B, dim], and an {@link EmbeddingRegressor} head (`head.*`, mean and
 * log-variance per label). With a pre-trained encoder this is the fine-tuned (or, frozen, the
 * linear-probe-like) head of a foundation model; with a fresh encoder it is the same network trained
 * from scratch.
 */
export class SpectrumLabelModel extends Module {
  /**
   * Save to `dir`: config.json (kind `@astro/specclip/SpectrumLabelModel`, hyper-parameters, scalings) and
   * model.safetensors with PyTorch-style names, each written atomically (Node).
   */
  async save(dir: string, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
    const { saveSpecclipModel } = await import('../checkpoints/files.js');
    return saveSpecclipModel(dir, this, opts);
  }

  /** Load a model saved by `save` (kind, schemaVersion and shapes checked; Node). */
  static async load(dir: string): Promise<SpectrumLabelModel> {
    const { loadSpecclipModel } = await import('../checkpoints/files.js');
    return loadSpecclipModel(dir, 'SpectrumLabelModel');
  }

  readonly encoder: SpectrumTransformer;
  readonly head: EmbeddingRegressor;

  constructor(encoder: SpectrumTransformer, opts: SpectrumLabelModelOptions) {
    super();
    this.encoder = this.child('encoder', encoder);
    this.head = this.child(
      'head',
      new EmbeddingRegressor({
        inputs: encoder.dim,
        outputs: opts.outputs,
        ...(opts.hidden ? { hidden: opts.hidden } : {}),
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      }),
    );
  }

  /** Mean-pooled encoder tokens of flux [B, pixels] → [B, dim] (NaN pixels masked). */
  embedTensor(flux: ArrayLike<number>): tf.Tensor2D {
    const x = patchify(flux, this.encoder.layout);
    try {
      return tf.tidy(() => tf.mean(this.encoder.forward(x.patches, x.logStd), 1) as tf.Tensor2D);
    } finally {
      tf.dispose([x.patches, x.observed, x.logStd]);
    }
  }

  /** Embeddings of flux [n, pixels] → Float32Array [n, dim], in batches of `batchSize`. */
  async embed(flux: ArrayLike<number>, batchSize = 128): Promise<Float32Array> {
    const P = this.encoder.layout.pixels;
    if (flux.length % P !== 0) throw new ShapeError(`SpectrumLabelModel.embed: ${flux.length} values is not a multiple of ${P} pixels`);
    const n = flux.length / P;
    const out = new Float32Array(n * this.encoder.dim);
    const src = flux instanceof Float32Array ? flux : Float32Array.from(flux);
    for (let s = 0; s < n; s += batchSize) {
      const e = Math.min(n, s + batchSize);
      const t = this.embedTensor(src.subarray(s * P, e * P));
      out.set(await t.data(), s * this.encoder.dim);
      t.dispose();
    }
    return out;
  }

  /** Labels and predictive 1σ of flux [n, pixels], in label units (any backend). */
  async predict(flux: ArrayLike<number>): Promise<LabelPrediction> {
    return this.head.predict(await this.embed(flux));
  }
}

/** Options of {@link fitLabelModel}. */
export interface FitLabelModelOptions {
  epochs: number;
  batchSize?: number;
  /** Peak learning rate of the head (default 3e-3), warm-up + cosine. */
  lr?: number;
  /** Multiplier of the encoder's learning rate when it trains (default 0.3). */
  encoderLrScale?: number;
  /** Keep the encoder fixed: embeddings are computed once and only the head trains. */
  freezeEncoder?: boolean;
  seed?: number;
  /** Progress after every step and epoch (core's `FitProgress`). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** Abort between steps (rejects with an `AbortError`). */
  signal?: AbortSignal;
}

/**
 * Train a {@link SpectrumLabelModel} on flux [n, pixels] and labels [n, outputs] by the head's
 * Gaussian NLL on standardised labels (AdamW). Fine-tuning when the encoder was pre-trained, training
 * from scratch when it is fresh, a frozen-encoder head with `freezeEncoder`. Returns epoch losses.
 * @throws {ShapeError} for mismatched rows; {@link ValueError} for non-finite labels or bad epochs.
 */
export async function fitLabelModel(
  model: SpectrumLabelModel,
  flux: Float32Array,
  labels: Float32Array,
  opts: FitLabelModelOptions,
): Promise<number[]> {
  const P = model.encoder.layout.pixels;
  const L = model.head.outputs;
  const n = flux.length / P;
  if (!Number.isInteger(n) || labels.length !== n * L)
    throw new ShapeError(`fitLabelModel: ${flux.length / P} spectra of ${P} pixels but ${labels.length / L} label rows`);
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1)
    throw new ValueError(`fitLabelModel: epochs must be a positive integer, got ${opts.epochs}`);
  if (opts.freezeEncoder) {
    return fitRegressor(model.head, await model.embed(flux), labels, {
      epochs: opts.epochs,
      ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
      ...(opts.lr ? { lr: opts.lr } : {}),
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }
  for (const v of labels) if (!Number.isFinite(v)) throw new ValueError('fitLabelModel: labels contain NaN or ±Inf');
  const head = model.head;
  for (let j = 0; j < L; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += labels[i * L + j]! / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (labels[i * L + j]! - m) ** 2 / n;
    head.labelMean[j] = m;
    head.labelScale[j] = Math.sqrt(v) || 1;
  }
  const ys = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) ys[i] = (labels[i]! - head.labelMean[i % L]!) / head.labelScale[i % L]!;
  const bs = Math.min(opts.batchSize ?? 32, n);
  const steps = opts.epochs * Math.ceil(n / bs);
  const opt = new AdamW(model.trainableParameters(), {
    lr: warmupCosine({ peakLr: opts.lr ?? 3e-3, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
    weightDecay: 1e-4,
    groups: [{ match: 'encoder.**', lrMultiplier: opts.encoderLrScale ?? 0.3 }],
  });
  type Rows = { patches: tf.Tensor3D; observed: tf.Tensor3D; logStd: tf.Tensor2D; y: tf.Tensor2D };
  const layout = model.encoder.layout;
  const stream: BatchStream<Rows> = {
    numBatches: Math.ceil(n / bs),
    *batches(_epoch, rng) {
      const idx = rng.permutation(n);
      for (let s = 0; s < n; s += bs) {
        const rows = idx.subarray(s, Math.min(n, s + bs));
        const xb = new Float32Array(rows.length * P);
        const yb = new Float32Array(rows.length * L);
        rows.forEach((r, i) => {
          xb.set(flux.subarray(r * P, (r + 1) * P), i * P);
          yb.set(ys.subarray(r * L, (r + 1) * L), i * L);
        });
        yield { ...patchify(xb, layout), y: tf.tensor2d(yb, [rows.length, L]) };
      }
    },
  };
  model.train();
  try {
    const r = await fit(model, stream, {
      epochs: opts.epochs,
      optimizer: opt,
      seed: opts.seed ?? 0,
      progressBar: false,
      step: (b) => head.nll(tf.mean(model.encoder.forward(b.patches, b.logStd), 1) as tf.Tensor2D, b.y),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return r.history.loss;
  } finally {
    opt.dispose();
    model.eval();
  }
}
