import { tf, AbortError, ShapeError, ValueError } from '@astro/core';
import { Module } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream, type FitProgress } from '@astro/core/train';
import type { SpectrumTransformer } from '../encoders/spectrum-transformer.js';
import { patchify } from '../encoders/patches.js';
import { EmbeddingRegressor, type LabelPrediction } from './regressor.js';

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
 *
 * The house model surface: `await fit({ flux, labels }, opts)` through core's `fit`,
 * `await predict(flux)`, `save(dir)` / `SpectrumLabelModel.load(dir)`.
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
    return this.encoder.embedTensor(flux);
  }

  /** Embeddings of flux [n, pixels] → Float32Array [n, dim], in batches of `batchSize` (see `SpectrumTransformer.predict`). */
  embed(flux: ArrayLike<number>, batchSize = 128): Promise<Float32Array> {
    return this.encoder.predict(flux, { batchSize });
  }

  /**
   * Train on flux [n, pixels] and labels [n, outputs] (row-major) by the head's Gaussian NLL on
   * standardised labels with AdamW (warm-up + cosine) through core's `fit` (seeded shuffles,
   * progress, abort): fine-tuning when the encoder was pre-trained, training from scratch when it is
   * fresh, only the head on fixed embeddings with `freezeEncoder`. Returns epoch losses.
   * @throws {ShapeError} for mismatched rows. @throws {ValueError} for non-finite labels or bad
   * options. @throws {AbortError} when `signal` aborts.
   */
  async fit(data: { flux: Float32Array; labels: Float32Array }, opts: FitLabelModelOptions): Promise<number[]> {
    const { flux, labels } = data;
    const P = this.encoder.layout.pixels;
    const L = this.head.outputs;
    const n = flux.length / P;
    if (!Number.isInteger(n) || n < 1 || labels.length !== n * L)
      throw new ShapeError(`SpectrumLabelModel.fit: ${flux.length / P} spectra of ${P} pixels but ${labels.length / L} label rows`);
    if (!Number.isInteger(opts.epochs) || opts.epochs < 1)
      throw new ValueError(`SpectrumLabelModel.fit: epochs must be a positive integer, got ${opts.epochs}`);
    if (opts.batchSize !== undefined && (!Number.isInteger(opts.batchSize) || opts.batchSize < 1))
      throw new ValueError(`SpectrumLabelModel.fit: batchSize must be a positive integer, got ${opts.batchSize}`);
    if (opts.signal?.aborted) throw new AbortError('SpectrumLabelModel.fit: aborted before training');
    if (opts.freezeEncoder) {
      return this.head.fit(
        { x: await this.embed(flux), y: labels },
        {
          epochs: opts.epochs,
          ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
          ...(opts.lr ? { lr: opts.lr } : {}),
          ...(opts.seed === undefined ? {} : { seed: opts.seed }),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        },
      );
    }
    for (const v of labels) if (!Number.isFinite(v)) throw new ValueError('SpectrumLabelModel.fit: labels contain NaN or ±Inf');
    const head = this.head;
    head.setLabelScaling(labels, n);
    const ys = head.standardise(labels);
    const bs = Math.min(opts.batchSize ?? 32, n);
    const steps = opts.epochs * Math.ceil(n / bs);
    const opt = new AdamW(this.trainableParameters(), {
      lr: warmupCosine({ peakLr: opts.lr ?? 3e-3, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
      weightDecay: 1e-4,
      groups: [{ match: 'encoder.**', lrMultiplier: opts.encoderLrScale ?? 0.3 }],
    });
    type Rows = { patches: tf.Tensor3D; observed: tf.Tensor3D; logStd: tf.Tensor2D; y: tf.Tensor2D };
    const layout = this.encoder.layout;
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
    this.train();
    try {
      const r = await fit(this, stream, {
        epochs: opts.epochs,
        optimizer: opt,
        seed: opts.seed ?? 0,
        progressBar: false,
        step: (b) => head.nll(tf.mean(this.encoder.forward(b.patches, b.logStd), 1) as tf.Tensor2D, b.y),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return r.history.loss;
    } finally {
      opt.dispose();
      this.eval();
    }
  }

  /** Labels and predictive 1σ of flux [n, pixels], in label units (any backend). */
  async predict(flux: ArrayLike<number>): Promise<LabelPrediction> {
    return this.head.predict(await this.embed(flux));
  }
}

/** Options of {@link SpectrumLabelModel.fit}. */
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
 * Train a {@link SpectrumLabelModel} on flux [n, pixels] and labels [n, outputs]; the same as
 * `model.fit({ flux, labels }, opts)`. Returns epoch losses.
 * @deprecated Use {@link SpectrumLabelModel.fit}: `await model.fit({ flux, labels }, opts)`.
 */
export function fitLabelModel(
  model: SpectrumLabelModel,
  flux: Float32Array,
  labels: Float32Array,
  opts: FitLabelModelOptions,
): Promise<number[]> {
  return model.fit({ flux, labels }, opts);
}
