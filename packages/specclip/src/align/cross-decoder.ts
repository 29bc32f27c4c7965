import { tf, ShapeError, ValueError } from '@astro/core';
import { Module, MLP, rngFor } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream, type FitProgress } from '@astro/core/train';

/** Options of {@link CrossDecoder.fit}. */
export interface FitCrossDecoderOptions {
  epochs: number;
  batchSize?: number;
  /** Peak learning rate (default 1e-3), warm-up over the first 5% of steps then cosine decay. */
  lr?: number;
  seed?: number;
  /** Progress after every step and epoch (core's `FitProgress`). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** Abort between steps (rejects with an `AbortError`). */
  signal?: AbortSignal;
}

/** Options of {@link CrossDecoder}. */
export interface CrossDecoderOptions {
  /** Embedding width (input). */
  embedDim: number;
  /** Pixels of the spectrum to predict (output). */
  pixels: number;
  /** Hidden widths (default [128, 128]). */
  hidden?: readonly number[];
  seed?: number;
}

/**
 * Decoder from an embedding to a spectrum (`net`: MLP embedDim → hidden… → pixels). With the
 * same instrument's embedding it is SpecCLIP's reconstruction decoder; with the other
 * instrument's embedding it is the cross-prediction decoder (e.g. low-resolution embedding →
 * high-resolution flux). Targets are predicted in flux units, centred on the training mean.
 *
 * The house model surface: `await fit({ z, flux }, opts)` through core's `fit`, `await predict(z)`,
 * `save(dir)` / `CrossDecoder.load(dir)`.
 */
export class CrossDecoder extends Module {
  /**
   * Save to `dir`: config.json (kind `@astro/specclip/CrossDecoder`, hyper-parameters, scalings) and
   * model.safetensors with PyTorch-style names, each written atomically (Node).
   */
  async save(dir: string, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
    const { saveSpecclipModel } = await import('../checkpoints/files.js');
    return saveSpecclipModel(dir, this, opts);
  }

  /** Load a model saved by `save` (kind, schemaVersion and shapes checked; Node). */
  static async load(dir: string): Promise<CrossDecoder> {
    const { loadSpecclipModel } = await import('../checkpoints/files.js');
    return loadSpecclipModel(dir, 'CrossDecoder');
  }

  readonly net: MLP;
  readonly embedDim: number;
  readonly pixels: number;
  /** Hidden widths of `net`. */
  readonly hidden: readonly number[];
  /** Training-set mean spectrum [pixels], added back to the network's output. */
  meanFlux: Float32Array;

  constructor(opts: CrossDecoderOptions) {
    super();
    this.embedDim = opts.embedDim;
    this.pixels = opts.pixels;
    this.hidden = [...(opts.hidden ?? [128, 128])];
    this.net = this.child('net', new MLP({ sizes: [opts.embedDim, ...this.hidden, opts.pixels], seed: rngFor(opts.seed).nextUint32() }));
    this.meanFlux = new Float32Array(opts.pixels);
  }

  /**
   * Fit on embeddings z [n, embedDim] and target flux [n, pixels] (row-major) by mean squared error
   * with AdamW (warm-up + cosine) through core's `fit` (seeded shuffles, progress, abort).
   * Non-finite target pixels are masked out of the loss; `meanFlux` becomes the training mean.
   * Returns the mean loss of each epoch.
   * @throws {ShapeError} when z and the targets hold different numbers of rows.
   * @throws {ValueError} for bad `epochs` or `batchSize`. @throws {AbortError} when `signal` aborts.
   */
  async fit(data: { z: Float32Array; flux: Float32Array }, opts: FitCrossDecoderOptions): Promise<number[]> {
    const { z, flux } = data;
    const D = this.embedDim;
    const P = this.pixels;
    const n = z.length / D;
    if (!Number.isInteger(n) || n < 1 || flux.length !== n * P)
      throw new ShapeError(`CrossDecoder.fit: ${z.length / D} embeddings but ${flux.length / P} target spectra`);
    if (!Number.isInteger(opts.epochs) || opts.epochs < 1)
      throw new ValueError(`CrossDecoder.fit: epochs must be a positive integer, got ${opts.epochs}`);
    if (opts.batchSize !== undefined && (!Number.isInteger(opts.batchSize) || opts.batchSize < 1))
      throw new ValueError(`CrossDecoder.fit: batchSize must be a positive integer, got ${opts.batchSize}`);
    const cnt = new Float32Array(P);
    const mean = new Float32Array(P);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < P; j++) {
        const v = flux[i * P + j]!;
        if (Number.isFinite(v)) {
          mean[j] = mean[j]! + v;
          cnt[j] = cnt[j]! + 1;
        }
      }
    for (let j = 0; j < P; j++) mean[j] = cnt[j]! > 0 ? mean[j]! / cnt[j]! : 0;
    this.meanFlux = mean;
    const bs = Math.min(opts.batchSize ?? 64, n);
    const steps = opts.epochs * Math.ceil(n / bs);
    const opt = new AdamW(this.trainableParameters(), {
      lr: warmupCosine({ peakLr: opts.lr ?? 1e-3, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
      weightDecay: 1e-4,
    });
    type Rows = { z: tf.Tensor2D; y: tf.Tensor2D; m: tf.Tensor2D };
    const stream: BatchStream<Rows> = {
      numBatches: Math.ceil(n / bs),
      *batches(_epoch, rng) {
        const idx = rng.permutation(n);
        for (let s = 0; s < n; s += bs) {
          const rows = idx.subarray(s, Math.min(n, s + bs));
          const zb = new Float32Array(rows.length * D);
          const yb = new Float32Array(rows.length * P);
          const mb = new Float32Array(rows.length * P);
          rows.forEach((r, i) => {
            zb.set(z.subarray(r * D, (r + 1) * D), i * D);
            for (let j = 0; j < P; j++) {
              const v = flux[r * P + j]!;
              const ok = Number.isFinite(v);
              yb[i * P + j] = ok ? v : 0;
              mb[i * P + j] = ok ? 1 : 0;
            }
          });
          yield { z: tf.tensor2d(zb, [rows.length, D]), y: tf.tensor2d(yb, [rows.length, P]), m: tf.tensor2d(mb, [rows.length, P]) };
        }
      },
    };
    try {
      const r = await fit(this, stream, {
        epochs: opts.epochs,
        optimizer: opt,
        seed: opts.seed ?? 0,
        progressBar: false,
        // mean squared error over the unmasked target pixels of the batch
        step: (b) => tf.div(tf.sum(tf.mul(tf.square(tf.sub(this.forward(b.z), b.y)), b.m)), tf.maximum(tf.sum(b.m), 1)) as tf.Scalar,
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return r.history.loss;
    } finally {
      opt.dispose();
    }
  }

  /**
   * Predicted flux [n, pixels] of embeddings z [n, embedDim] (row-major), read back asynchronously (any backend).
   * @throws {ShapeError} for an empty array or a partial row. @throws {ValueError} for NaN/±Inf embeddings.
   */
  async predict(z: ArrayLike<number>): Promise<Float32Array> {
    const D = this.embedDim;
    if (z.length === 0 || z.length % D !== 0)
      throw new ShapeError(`CrossDecoder.predict: ${z.length} values is not a positive multiple of ${D} embedding dimensions`);
    for (let i = 0; i < z.length; i++) if (!Number.isFinite(z[i]!)) throw new ValueError(`CrossDecoder.predict: z[${i}] is ${z[i]}`);
    const t = tf.tensor2d(z instanceof Float32Array ? z : Float32Array.from(z), [z.length / D, D]);
    const y = tf.tidy(() => this.forward(t));
    try {
      return (await y.data()) as Float32Array;
    } finally {
      tf.dispose([t, y]);
    }
  }

  /** Predict flux [B, pixels] from embeddings z [B, embedDim]. */
  forward(z: tf.Tensor2D): tf.Tensor2D {
    if (z.rank !== 2 || z.shape[1] !== this.embedDim)
      throw new ShapeError(`CrossDecoder: expected [B, ${this.embedDim}], got [${z.shape.join(', ')}]`);
    return tf.tidy(() => tf.add(this.net.forward(z), tf.tensor1d(this.meanFlux)) as tf.Tensor2D);
  }
}

/**
 * Fit a {@link CrossDecoder} on embeddings z [n, embedDim] and target flux [n, pixels]; the same as
 * `model.fit({ z, flux }, opts)`. Returns epoch losses.
 * @deprecated Use {@link CrossDecoder.fit}: `await model.fit({ z, flux }, opts)`.
 */
export function fitCrossDecoder(model: CrossDecoder, z: Float32Array, flux: Float32Array, opts: FitCrossDecoderOptions): Promise<number[]> {
  return model.fit({ z, flux }, opts);
}
