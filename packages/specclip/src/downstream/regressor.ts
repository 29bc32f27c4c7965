import { tf, ShapeError, ValueError } from '@astro/core';
import { Module, MLP, rngFor } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type Batch, type FitProgress } from '@astro/core/train';

/** Options of {@link EmbeddingRegressor}. */
export interface EmbeddingRegressorOptions {
  /** Embedding width. */
  inputs: number;
  /** Number of labels (e.g. 3: Teff, log g, [Fe/H]). */
  outputs: number;
  /** Hidden widths (default [64, 64]). */
  hidden?: readonly number[];
  seed?: number;
}

/** Predictions of {@link EmbeddingRegressor.predict}, in label units, row-major [n, outputs]. */
export interface LabelPrediction {
  mean: Float32Array;
  /** Predictive 1σ (aleatoric, from the Gaussian likelihood head). */
  std: Float32Array;
}

/**
 * Stellar-parameter head on embeddings with predictive uncertainties: an MLP (`net`) outputs a mean
 * and a log-variance per label, trained by the heteroscedastic Gaussian negative log-likelihood
 * (Nix & Weigend 1994) on standardised labels. Label means/scales are stored with the model.
 */
export class EmbeddingRegressor extends Module {
  /**
   * Save to `dir`: config.json (kind `@astro/specclip/EmbeddingRegressor`, hyper-parameters, scalings) and
   * model.safetensors with PyTorch-style names, each written atomically (Node).
   */
  async save(dir: string, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
    const { saveSpecclipModel } = await import('../checkpoints/files.js');
    return saveSpecclipModel(dir, this, opts);
  }

  /** Load a model saved by `save` (kind, schemaVersion and shapes checked; Node). */
  static async load(dir: string): Promise<EmbeddingRegressor> {
    const { loadSpecclipModel } = await import('../checkpoints/files.js');
    return loadSpecclipModel(dir, 'EmbeddingRegressor');
  }

  readonly net: MLP;
  readonly inputs: number;
  readonly outputs: number;
  /** Hidden widths of `net`. */
  readonly hidden: readonly number[];
  labelMean: Float64Array;
  labelScale: Float64Array;

  constructor(opts: EmbeddingRegressorOptions) {
    super();
    positiveInt(opts.inputs, 'EmbeddingRegressor: inputs');
    positiveInt(opts.outputs, 'EmbeddingRegressor: outputs');
    for (const h of opts.hidden ?? []) positiveInt(h, 'EmbeddingRegressor: hidden width');
    this.inputs = opts.inputs;
    this.outputs = opts.outputs;
    this.hidden = [...(opts.hidden ?? [64, 64])];
    this.net = this.child('net', new MLP({ sizes: [opts.inputs, ...this.hidden, 2 * opts.outputs], seed: rngFor(opts.seed).nextUint32() }));
    this.labelMean = new Float64Array(opts.outputs);
    this.labelScale = new Float64Array(opts.outputs).fill(1);
  }

  /**
   * Train on embeddings `x` [n, inputs] and labels `y` [n, outputs] (row-major) by AdamW (warm-up +
   * cosine) on the Gaussian NLL through core's `fit` loop (seeded shuffling, progress, abort, no
   * leaked tensors); labels are standardised with their training mean and standard deviation.
   * Returns the mean training loss of each epoch.
   * @throws {ShapeError} when x and y hold different numbers of rows. @throws {ValueError} for
   * non-finite labels or bad options. @throws {AbortError} when `signal` aborts.
   */
  async fit(data: { x: Float32Array; y: Float32Array }, opts: FitRegressorOptions): Promise<number[]> {
    const { x, y } = data;
    const D = this.inputs;
    const L = this.outputs;
    const n = checkRows(x, D, 'x');
    if (y.length !== n * L)
      throw new ShapeError(
        `EmbeddingRegressor.fit: ${n} embeddings but ${y.length / L} label rows (y has ${y.length} values, ${L} per row)`,
      );
    for (const v of y) if (!Number.isFinite(v)) throw new ValueError('EmbeddingRegressor.fit: labels contain NaN or ±Inf');
    positiveInt(opts.epochs, 'EmbeddingRegressor.fit: epochs');
    if (opts.batchSize !== undefined) positiveInt(opts.batchSize, 'EmbeddingRegressor.fit: batchSize');
    if (opts.lr !== undefined && !(opts.lr > 0 && Number.isFinite(opts.lr)))
      throw new ValueError(`EmbeddingRegressor.fit: lr must be a positive number, got ${opts.lr}`);
    this.setLabelScaling(y, n);
    const ys = this.standardise(y);
    const bs = Math.min(opts.batchSize ?? 64, n);
    const steps = opts.epochs * Math.ceil(n / bs);
    const opt = new AdamW(this.trainableParameters(), {
      lr: warmupCosine({ peakLr: opts.lr ?? 3e-3, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
      weightDecay: 1e-4,
    });
    const xt = tf.tensor2d(x, [n, D]);
    const yt = tf.tensor2d(ys, [n, L]);
    try {
      const r = await fit(
        this,
        { x: xt, y: yt },
        {
          epochs: opts.epochs,
          batchSize: bs,
          optimizer: opt,
          seed: opts.seed ?? 0,
          step: (b: Batch) => this.nll(b.x as tf.Tensor2D, b.y as tf.Tensor2D),
          progressBar: false,
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
        },
      );
      return r.history.loss;
    } finally {
      tf.dispose([xt, yt]);
      opt.dispose();
    }
  }

  /** Set `labelMean` / `labelScale` to the mean and standard deviation of each label of y [n, outputs]. */
  setLabelScaling(y: ArrayLike<number>, n = y.length / this.outputs): void {
    const L = this.outputs;
    for (let j = 0; j < L; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += y[i * L + j]! / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (y[i * L + j]! - m) ** 2 / n;
      this.labelMean[j] = m;
      this.labelScale[j] = Math.sqrt(v) || 1;
    }
  }

  /** Labels y [n, outputs] in label units → standardised with `labelMean` / `labelScale`. */
  standardise(y: ArrayLike<number>): Float32Array {
    const L = this.outputs;
    const ys = new Float32Array(y.length);
    for (let i = 0; i < y.length; i++) ys[i] = (y[i]! - this.labelMean[i % L]!) / this.labelScale[i % L]!;
    return ys;
  }

  private heads(x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    const o = this.net.forward(x) as tf.Tensor2D;
    const [mu, logVar] = tf.split(o, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return [mu, tf.clipByValue(logVar, -12, 8) as tf.Tensor2D];
  }

  /** Mean Gaussian NLL (up to ½ln2π) of standardised labels y [B, outputs] given embeddings x. */
  nll(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const [mu, lv] = this.heads(x);
      return tf.mean(tf.mul(0.5, tf.add(lv, tf.div(tf.square(tf.sub(y, mu)), tf.exp(lv))))) as tf.Scalar;
    });
  }

  /**
   * Predict labels and 1σ for embeddings [n, inputs], row-major. Reads back asynchronously, so it
   * works on every backend (webgpu in Node included).
   * @throws {ShapeError} for an empty array or a length that is not a multiple of `inputs`.
   * @throws {ValueError} for NaN/±Inf embeddings.
   */
  async predict(embeddings: Float32Array): Promise<LabelPrediction> {
    const n = checkRows(embeddings, this.inputs, 'embeddings');
    const [m, l] = tf.tidy(() => this.heads(tf.tensor2d(embeddings, [n, this.inputs])));
    try {
      return this.toLabels(await m.data(), await l.data(), n);
    } finally {
      tf.dispose([m, l]);
    }
  }

  /** @deprecated {@link EmbeddingRegressor.predict} is asynchronous now; this is the same call. */
  predictAsync(embeddings: Float32Array): Promise<LabelPrediction> {
    return this.predict(embeddings);
  }

  private toLabels(mu: ArrayLike<number>, lv: ArrayLike<number>, n: number): LabelPrediction {
    const mean = new Float32Array(n * this.outputs);
    const std = new Float32Array(n * this.outputs);
    for (let i = 0; i < n * this.outputs; i++) {
      const j = i % this.outputs;
      mean[i] = mu[i]! * this.labelScale[j]! + this.labelMean[j]!;
      std[i] = Math.exp(0.5 * lv[i]!) * this.labelScale[j]!;
    }
    return { mean, std };
  }
}

/**
 * Rows of a flat row-major array of `width` columns; checks it is non-empty, whole rows and finite.
 * @throws {ShapeError} for an empty array or a partial row. @throws {ValueError} for NaN/±Inf.
 */
function checkRows(x: ArrayLike<number>, width: number, what: string): number {
  if (x.length === 0) throw new ShapeError(`EmbeddingRegressor: ${what} is empty`);
  if (x.length % width !== 0) throw new ShapeError(`EmbeddingRegressor: ${what} length ${x.length} is not a multiple of ${width}`);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) throw new ValueError(`EmbeddingRegressor: ${what}[${i}] is ${x[i]}`);
  return x.length / width;
}

/** @throws {ValueError} unless `v` is a positive integer. */
function positiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${what} must be a positive integer, got ${v}`);
}

/** Options of {@link EmbeddingRegressor.fit}. */
export interface FitRegressorOptions {
  epochs: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  /** Progress after every step and epoch (core's `FitProgress`). */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** Abort between steps (rejects with an `AbortError`). */
  signal?: AbortSignal;
}

/**
 * Fit an {@link EmbeddingRegressor} on embeddings x [n, inputs] and labels y [n, outputs]; the same
 * as `model.fit({ x, y }, opts)`. Returns the mean training loss of each epoch.
 * @deprecated Use {@link EmbeddingRegressor.fit}: `await model.fit({ x, y }, opts)`.
 */
export function fitRegressor(model: EmbeddingRegressor, x: Float32Array, y: Float32Array, opts: FitRegressorOptions): Promise<number[]> {
  return model.fit({ x, y }, opts);
}
