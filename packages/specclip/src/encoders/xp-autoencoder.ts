import { tf, ShapeError, ValueError } from '@astro/core';
import { Module, MLP, rngFor } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream } from '@astro/core/train';
import { batchOrder, checkPretrainOptions, fitOptionsOf, gatherRows, type PretrainOptions } from './pretrain-options.js';

/** Options of {@link XpAutoencoder}. */
export interface XpAutoencoderOptions {
  /** Input features (default 110: Gaia XP BP+RP coefficients). */
  inputs?: number;
  /** Hidden widths of the encoder; the decoder mirrors them (default [256, 128]). */
  hidden?: readonly number[];
  /** Latent width (default 32). */
  latent?: number;
  seed?: number;
}

/**
 * MLP autoencoder for XP-like inputs (SpecCLIP's XP foundation encoder): `encoder` MLP
 * inputs → hidden… → latent and `decoder` MLP latent → …hidden → inputs, GELU between layers.
 * x [B, inputs] → z [B, latent] → x̂ [B, inputs].
 *
 * The house model surface: `await fit({ x }, opts)` trains the reconstruction through core's `fit`,
 * `await predict(x)` gives latents, `save(dir)` / `XpAutoencoder.load(dir)`.
 */
export class XpAutoencoder extends Module {
  /**
   * Save to `dir`: config.json (kind `@astro/specclip/XpAutoencoder`, hyper-parameters, scalings) and
   * model.safetensors with PyTorch-style names, each written atomically (Node).
   */
  async save(dir: string, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
    const { saveSpecclipModel } = await import('../checkpoints/files.js');
    return saveSpecclipModel(dir, this, opts);
  }

  /** Load a model saved by `save` (kind, schemaVersion and shapes checked; Node). */
  static async load(dir: string): Promise<XpAutoencoder> {
    const { loadSpecclipModel } = await import('../checkpoints/files.js');
    return loadSpecclipModel(dir, 'XpAutoencoder');
  }

  readonly inputs: number;
  readonly latent: number;
  /** Hidden widths of the encoder (the decoder mirrors them). */
  readonly hidden: readonly number[];
  readonly encoder: MLP;
  readonly decoder: MLP;

  constructor(opts: XpAutoencoderOptions = {}) {
    super();
    this.inputs = opts.inputs ?? 110;
    this.latent = opts.latent ?? 32;
    const hidden = (this.hidden = [...(opts.hidden ?? [256, 128])]);
    const rng = rngFor(opts.seed);
    this.encoder = this.child('encoder', new MLP({ sizes: [this.inputs, ...hidden, this.latent], seed: rng.nextUint32() }));
    this.decoder = this.child('decoder', new MLP({ sizes: [this.latent, ...[...hidden].reverse(), this.inputs], seed: rng.nextUint32() }));
  }

  /**
   * Train on standardised x [n, inputs] (row-major) by mean squared reconstruction error with AdamW
   * (warm-up + cosine) through core's `fit` (seeded shuffles, progress, abort). Returns the mean
   * loss of each epoch.
   * @throws {ShapeError} when x is not n × `inputs`. @throws {ValueError} for bad `epochs` or `batchSize`.
   * @throws {AbortError} when `signal` aborts.
   */
  async fit(data: { x: Float32Array }, opts: PretrainOptions): Promise<number[]> {
    checkPretrainOptions(opts, 'XpAutoencoder.fit');
    const { x } = data;
    const F = this.inputs;
    if (x.length % F !== 0 || x.length === 0)
      throw new ShapeError(`XpAutoencoder.fit: input length ${x.length} is not a positive multiple of ${F} features`);
    const n = x.length / F;
    const bs = opts.batchSize ?? 64;
    const steps = opts.epochs * Math.ceil(n / bs);
    const opt = new AdamW(this.trainableParameters(), {
      lr: warmupCosine({ peakLr: opts.lr ?? 1e-3, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
      weightDecay: opts.weightDecay ?? 0.01,
    });
    const stream: BatchStream<tf.Tensor2D> = {
      numBatches: Math.ceil(n / bs),
      *batches(_epoch, rng) {
        for (const rows of batchOrder(n, bs, rng)) yield tf.tensor2d(gatherRows(x, F, rows), [rows.length, F]);
      },
    };
    try {
      const r = await fit(this, stream, { epochs: opts.epochs, optimizer: opt, step: (xb) => this.loss(xb), ...fitOptionsOf(opts) });
      return r.history.loss;
    } finally {
      opt.dispose();
    }
  }

  /**
   * Latents of standardised x [n, inputs] → [n, latent], row-major, read back asynchronously (any backend).
   * @throws {ShapeError} for an empty array or a partial row. @throws {ValueError} for NaN/±Inf inputs.
   */
  async predict(x: ArrayLike<number>): Promise<Float32Array> {
    const F = this.inputs;
    if (x.length === 0 || x.length % F !== 0)
      throw new ShapeError(`XpAutoencoder.predict: ${x.length} values is not a positive multiple of ${F} features`);
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) throw new ValueError(`XpAutoencoder.predict: x[${i}] is ${x[i]}`);
    const t = tf.tensor2d(x instanceof Float32Array ? x : Float32Array.from(x), [x.length / F, F]);
    const z = tf.tidy(() => this.forward(t));
    try {
      return (await z.data()) as Float32Array;
    } finally {
      tf.dispose([t, z]);
    }
  }

  /** Encode x [B, inputs] → [B, latent]. @throws {ShapeError} for a wrong feature count. */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.inputs)
      throw new ShapeError(`XpAutoencoder: expected [B, ${this.inputs}], got [${x.shape.join(', ')}]`);
    return this.encoder.forward(x) as tf.Tensor2D;
  }

  /** Decode z [B, latent] → [B, inputs]. */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return this.decoder.forward(z) as tf.Tensor2D;
  }

  /** Mean squared reconstruction error of x [B, inputs] (a scalar). */
  loss(x: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => tf.mean(tf.square(tf.sub(this.decode(this.forward(x)), x))) as tf.Scalar);
  }
}
