import { tf, ShapeError, ValueError } from '@astro/core';
import { Module, MLP, rngFor } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream, type FitProgress } from '@astro/core/train';
import { SpectrumTransformer } from '../encoders/spectrum-transformer.js';
import { XpAutoencoder } from '../encoders/xp-autoencoder.js';
import { patchify } from '../encoders/patches.js';
import { zscore } from '../preprocess/zscore.js';
import { AttentionPooling } from './pooling.js';
import { clipLoss, l2Normalize, SPECCLIP_LOGIT_SCALE } from './infonce.js';

/** Options of {@link SpecClip}. */
export interface SpecClipOptions {
  /** Width of the shared embedding space (default 32). */
  embedDim?: number;
  /** `'fixed'` (default): logits × 15.5 as SpecCLIP; `'learnable'`: a trained log-scale initialised at ln 15.5. */
  logitScale?: 'fixed' | 'learnable';
  /**
   * Private embedding dimensions per instrument (default 0): the "split" variant. Each projection head
   * outputs embedDim shared + privateDim private dimensions; the contrastive loss sees only the shared
   * part, the reconstruction decoders see both.
   */
  privateDim?: number;
  /**
   * Reconstruction decoders trained jointly with the contrastive loss (SpecCLIP's reconstruction /
   * mutual-information term): `high_decoder` and `low_decoder` rebuild each instrument's (z-scored)
   * input from its own shared + private embedding, and with `cross` a `cross_decoder` predicts the
   * high-resolution z-scored flux from the low-resolution shared embedding. MLPs with `hidden` widths
   * (default [64]).
   */
  decoders?: { hidden?: readonly number[]; cross?: boolean };
  seed?: number;
}

/** What {@link SpecClip.predict} returns: L2-normalised shared embeddings [n, embedDim] of each view given. */
export interface SpecClipEmbeddings {
  high?: Float32Array;
  low?: Float32Array;
}

/** The terms of {@link SpecClip.losses} for one batch. */
export interface ClipLossTerms {
  /** Symmetric InfoNCE on the shared embeddings. */
  contrastive: tf.Scalar;
  /** Mean of the decoders' mean squared errors (0 without decoders). */
  reconstruction: tf.Scalar;
  /** contrastive + weight × reconstruction. */
  total: tf.Scalar;
}

/**
 * CLIP alignment of two instruments (SpecCLIP): the high-resolution token encoder with an
 * attention-pooling head (`high_proj`) and the XP-like autoencoder's encoder with an MLP head
 * (`low_proj`) map a star's two spectra into one L2-normalised embedding space.
 * Parameters: `high.*` ({@link SpectrumTransformer}), `low.*` ({@link XpAutoencoder}), `high_proj.*`,
 * `low_proj.layers.*`, and `logit_scale` (ln s) when learnable.
 *
 * The house model surface: `await fit({ high, low }, opts)` through core's `fit`,
 * `await predict({ high, low })` gives embeddings, `save(dir)` / `SpecClip.load(dir)`.
 */
export class SpecClip extends Module {
  /**
   * Save to `dir`: config.json (kind `@astro/specclip/SpecClip`, hyper-parameters, scalings) and
   * model.safetensors with PyTorch-style names, each written atomically (Node).
   */
  async save(dir: string, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
    const { saveSpecclipModel } = await import('../checkpoints/files.js');
    return saveSpecclipModel(dir, this, opts);
  }

  /** Load a model saved by `save` (kind, schemaVersion and shapes checked; Node). */
  static async load(dir: string): Promise<SpecClip> {
    const { loadSpecclipModel } = await import('../checkpoints/files.js');
    return loadSpecclipModel(dir, 'SpecClip');
  }

  readonly high: SpectrumTransformer;
  readonly low: XpAutoencoder;
  readonly highProj: AttentionPooling;
  readonly lowProj: MLP;
  readonly embedDim: number;
  /** Private dimensions per instrument (0 unless the split variant). */
  readonly privateDim: number;
  readonly logLogitScale: tf.Variable | null;
  readonly highDecoder: MLP | null;
  readonly lowDecoder: MLP | null;
  readonly crossDecoder: MLP | null;
  /** Hidden widths of the decoders ([] when there are none). */
  readonly decoderHidden: readonly number[];
  /** Logit scale as last read back or known exactly (see {@link SpecClip.logitScale}). */
  private knownLogitScale: number;

  constructor(high: SpectrumTransformer, low: XpAutoencoder, opts: SpecClipOptions = {}) {
    super();
    const rng = rngFor(opts.seed);
    this.embedDim = opts.embedDim ?? 32;
    this.privateDim = opts.privateDim ?? 0;
    if (!Number.isInteger(this.privateDim) || this.privateDim < 0)
      throw new ValueError(`SpecClip: privateDim must be a non-negative integer, got ${this.privateDim}`);
    const out = this.embedDim + this.privateDim;
    this.high = this.child('high', high);
    this.low = this.child('low', low);
    this.highProj = this.child('high_proj', new AttentionPooling(high.dim, out, rng.nextUint32()));
    this.lowProj = this.child('low_proj', new MLP({ sizes: [low.latent, 2 * this.embedDim, out], seed: rng.nextUint32() }));
    const mode = opts.logitScale ?? 'fixed';
    if (mode !== 'fixed' && mode !== 'learnable')
      throw new ValueError(`SpecClip: logitScale must be 'fixed' or 'learnable', got '${String(mode)}'`);
    this.logLogitScale = mode === 'learnable' ? this.param('logit_scale', tf.scalar(Math.log(SPECCLIP_LOGIT_SCALE)), 'bias') : null;
    // the parameter holds float32(ln 15.5); what logitScale() reports until a fit step or a load
    this.knownLogitScale = mode === 'learnable' ? Math.exp(Math.fround(Math.log(SPECCLIP_LOGIT_SCALE))) : SPECCLIP_LOGIT_SCALE;
    const dec = opts.decoders;
    this.decoderHidden = dec ? [...(dec.hidden ?? [64])] : [];
    const h = this.decoderHidden;
    this.highDecoder = dec ? this.child('high_decoder', new MLP({ sizes: [out, ...h, high.layout.pixels], seed: rng.nextUint32() })) : null;
    this.lowDecoder = dec ? this.child('low_decoder', new MLP({ sizes: [out, ...h, low.inputs], seed: rng.nextUint32() })) : null;
    this.crossDecoder = dec?.cross
      ? this.child('cross_decoder', new MLP({ sizes: [this.embedDim, ...h, high.layout.pixels], seed: rng.nextUint32() }))
      : null;
  }

  /** The shared (contrastive) part [B, embedDim] of full embeddings [B, embedDim + privateDim]. */
  shared(z: tf.Tensor2D): tf.Tensor2D {
    return this.privateDim === 0 ? z : (tf.slice(z, [0, 0], [z.shape[0], this.embedDim]) as tf.Tensor2D);
  }

  /**
   * The logit scale s, without reading the backend: 15.5 when fixed; when learnable, the value at
   * construction, after the latest `fit` step, or as loaded (`load`, `decodeSpecclipModel`). After
   * assigning `logLogitScale` yourself, call {@link SpecClip.logitScaleAsync} to refresh it.
   */
  logitScale(): number {
    return this.knownLogitScale;
  }

  /** The logit scale read back from `logLogitScale` asynchronously (any backend); also refreshes {@link SpecClip.logitScale}. */
  async logitScaleAsync(): Promise<number> {
    if (this.logLogitScale) this.knownLogitScale = Math.exp((await this.logLogitScale.data())[0]!);
    return this.knownLogitScale;
  }

  /**
   * Set what {@link SpecClip.logitScale} reports from a known ln s (as stored in float32), without a
   * readback; used by the loaders. Does not change the parameter.
   * @internal
   */
  noteLogLogitScale(logS: number): void {
    if (this.logLogitScale) this.knownLogitScale = Math.exp(logS);
  }

  /**
   * Train on paired spectra through core's `fit` (seeded shuffles, progress, abort): high flux
   * [n, pixels] and standardised low-resolution x [n, inputs], row i of each being the same star.
   * AdamW, warm-up + cosine, full batches only (the contrastive loss compares every pair of a
   * batch). Returns the mean total loss of each epoch; {@link SpecClip.logitScale} follows each step.
   * @throws {ShapeError} when the two views hold different numbers of stars or fewer than 2 pairs.
   * @throws {ValueError} for bad options. @throws {AbortError} when `signal` aborts.
   */
  async fit(data: { high: Float32Array; low: Float32Array }, opts: FitClipOptions): Promise<number[]> {
    const { high, low } = data;
    const P = this.high.layout.pixels;
    const F = this.low.inputs;
    if (high.length % P !== 0 || low.length % F !== 0 || high.length / P !== low.length / F) {
      throw new ShapeError(
        `SpecClip.fit: ${high.length / P} high-resolution and ${low.length / F} low-resolution spectra; they must pair up`,
      );
    }
    if (!Number.isInteger(opts.epochs) || opts.epochs < 1)
      throw new ValueError(`SpecClip.fit: epochs must be a positive integer, got ${opts.epochs}`);
    if (opts.batchSize !== undefined && (!Number.isInteger(opts.batchSize) || opts.batchSize < 2))
      throw new ValueError(`SpecClip.fit: batchSize must be an integer ≥ 2, got ${opts.batchSize}`);
    const weight = opts.reconstructionWeight ?? 1;
    if (!(weight >= 0)) throw new ValueError(`SpecClip.fit: reconstructionWeight must be ≥ 0, got ${weight}`);
    const n = high.length / P;
    const bs = Math.min(opts.batchSize ?? 64, n);
    if (bs < 2) throw new ShapeError('SpecClip.fit: need at least 2 pairs');
    if (this.highDecoder) {
      // Start the high-resolution decoders at the training set's mean z-scored spectrum (their output bias).
      const z = zscore(high, P).z;
      const mean = new Float32Array(P);
      for (let i = 0; i < n; i++) for (let j = 0; j < P; j++) mean[j] = mean[j]! + z[i * P + j]! / n;
      for (const dec of [this.highDecoder, this.crossDecoder]) {
        const last = dec?.layers.at(dec.layers.length - 1);
        if (last?.bias) {
          const t = tf.tensor1d(mean);
          last.bias.assign(t);
          t.dispose();
        }
      }
    }
    if (opts.freezeBackbones) {
      this.high.freeze();
      this.low.freeze();
    }
    const steps = opts.epochs * Math.floor(n / bs);
    const opt = new AdamW(this.trainableParameters(), {
      lr: warmupCosine({ peakLr: opts.lr ?? 1e-3, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
      weightDecay: 0.01,
    });
    type Pair = { high: Float32Array; low: tf.Tensor2D };
    const stream: BatchStream<Pair> = {
      numBatches: Math.floor(n / bs),
      *batches(_epoch, rng) {
        // full batches only: the contrastive loss compares every pair of a batch
        const idx = rng.permutation(n);
        for (let s = 0; s + bs <= n; s += bs) {
          const rows = idx.subarray(s, s + bs);
          const hb = new Float32Array(bs * P);
          const lb = new Float32Array(bs * F);
          rows.forEach((r, i) => {
            hb.set(high.subarray(r * P, (r + 1) * P), i * P);
            lb.set(low.subarray(r * F, (r + 1) * F), i * F);
          });
          yield { high: hb, low: tf.tensor2d(lb, [bs, F]) };
        }
      },
    };
    // the two loss terms of each step are kept out of the tape and read back after the step
    let parts: tf.Scalar[] = [];
    let epochC = 0;
    let epochR = 0;
    let epochBatches = 0;
    try {
      const r = await fit(this, stream, {
        epochs: opts.epochs,
        optimizer: opt,
        seed: opts.seed ?? 0,
        progressBar: false,
        batchRows: () => bs,
        step: (b) => {
          tf.dispose(parts);
          const t = this.losses(b.high, b.low, weight);
          parts = [tf.keep(t.contrastive), tf.keep(t.reconstruction)];
          return t.total;
        },
        onProgress: async (p) => {
          if (p.phase === 'step') {
            const [c, rec] = await Promise.all(parts.map((t) => t.data()));
            await this.logitScaleAsync();
            tf.dispose(parts);
            parts = [];
            epochC += c![0]!;
            epochR += rec![0]!;
            epochBatches++;
            await opts.onProgress?.(p, { contrastive: c![0]!, reconstruction: rec![0]! });
          } else {
            const terms = { contrastive: epochC / epochBatches, reconstruction: epochR / epochBatches };
            epochC = epochR = epochBatches = 0;
            await opts.onProgress?.(p, terms);
          }
        },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return r.history.loss;
    } finally {
      tf.dispose(parts);
      opt.dispose();
      if (opts.freezeBackbones) {
        this.high.unfreeze();
        this.low.unfreeze();
      }
      await this.logitScaleAsync();
    }
  }

  /**
   * L2-normalised shared embeddings [n, embedDim] (row-major) of either view or both: `high` flux
   * [n, pixels] (NaN pixels masked) and/or standardised low-resolution `x` [n, inputs]. Read back
   * asynchronously, in batches of `batchSize` (any backend).
   * @throws {ValueError} when neither view is given or `low` holds NaN/±Inf.
   * @throws {ShapeError} when a view is empty or not whole rows.
   */
  async predict(
    views: { high?: ArrayLike<number>; low?: ArrayLike<number> },
    opts: { batchSize?: number } = {},
  ): Promise<SpecClipEmbeddings> {
    if (views.high === undefined && views.low === undefined)
      throw new ValueError('SpecClip.predict: give high-resolution flux (high), low-resolution inputs (low), or both');
    const bs = opts.batchSize ?? 128;
    if (!Number.isInteger(bs) || bs < 1) throw new ValueError(`SpecClip.predict: batchSize must be a positive integer, got ${bs}`);
    const out: SpecClipEmbeddings = {};
    const E = this.embedDim;
    const P = this.high.layout.pixels;
    const F = this.low.inputs;
    if (views.high !== undefined) {
      const flux = views.high;
      if (flux.length === 0 || flux.length % P !== 0)
        throw new ShapeError(`SpecClip.predict: high has ${flux.length} values, not a positive multiple of ${P} pixels`);
      const src = flux instanceof Float32Array ? flux : Float32Array.from(flux);
      const n = src.length / P;
      const e = new Float32Array(n * E);
      for (let s = 0; s < n; s += bs) {
        const t = this.embedHigh(src.subarray(s * P, Math.min(n, s + bs) * P));
        try {
          e.set(await t.data(), s * E);
        } finally {
          t.dispose();
        }
      }
      out.high = e;
    }
    if (views.low !== undefined) {
      const x = views.low;
      if (x.length === 0 || x.length % F !== 0)
        throw new ShapeError(`SpecClip.predict: low has ${x.length} values, not a positive multiple of ${F} inputs`);
      for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) throw new ValueError(`SpecClip.predict: low[${i}] is ${x[i]}`);
      const src = x instanceof Float32Array ? x : Float32Array.from(x);
      const n = src.length / F;
      const e = new Float32Array(n * E);
      for (let s = 0; s < n; s += bs) {
        const rows = Math.min(n, s + bs) - s;
        const xt = tf.tensor2d(src.subarray(s * F, (s + rows) * F), [rows, F]);
        const t = this.embedLow(xt);
        try {
          e.set(await t.data(), s * E);
        } finally {
          tf.dispose([xt, t]);
        }
      }
      out.low = e;
    }
    return out;
  }

  /** Unnormalised high-resolution embeddings of flux [B, pixels] (NaN pixels masked), shared + private [B, embedDim + privateDim]. */
  embedHighRaw(flux: ArrayLike<number>): tf.Tensor2D {
    const x = patchify(flux, this.high.layout);
    try {
      return tf.tidy(() => this.highProj.forward(this.high.forward(x.patches, x.logStd)));
    } finally {
      tf.dispose([x.patches, x.observed, x.logStd]);
    }
  }

  /** Unnormalised low-resolution embeddings of standardised x [B, inputs], shared + private. */
  embedLowRaw(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.lowProj.forward(this.low.forward(x)) as tf.Tensor2D);
  }

  /** L2-normalised shared high-resolution embeddings [B, embedDim] (for retrieval). */
  embedHigh(flux: ArrayLike<number>): tf.Tensor2D {
    return tf.tidy(() => l2Normalize(this.shared(this.embedHighRaw(flux))));
  }

  /** L2-normalised shared low-resolution embeddings [B, embedDim]. */
  embedLow(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => l2Normalize(this.shared(this.embedLowRaw(x))));
  }

  /**
   * Cross-prediction: the high-resolution z-scored flux [B, pixels] predicted from the low-resolution
   * shared embedding of x [B, inputs]. @throws {ValueError} when built without `decoders.cross`.
   */
  predictHighFromLow(x: tf.Tensor2D): tf.Tensor2D {
    const dec = this.crossDecoder;
    if (!dec) throw new ValueError('SpecClip: built without decoders: { cross: true }, so there is no cross-prediction decoder');
    return tf.tidy(() => dec.forward(this.shared(this.embedLowRaw(x))) as tf.Tensor2D);
  }

  /**
   * Contrastive, reconstruction and total loss of a batch of paired spectra: high flux [B, pixels]
   * and standardised low-resolution x [B, inputs]. Reconstruction targets are the z-scored high
   * flux (masked pixels excluded) and x; the total is contrastive + `weight` × reconstruction.
   */
  losses(flux: ArrayLike<number>, x: tf.Tensor2D, weight = 1): ClipLossTerms {
    const z = this.highDecoder ? zscore(flux, this.high.layout.pixels) : null;
    return tf.tidy(() => {
      const s = this.logLogitScale ? (tf.exp(this.logLogitScale) as tf.Scalar) : SPECCLIP_LOGIT_SCALE;
      const eh = this.embedHighRaw(flux);
      const el = this.embedLowRaw(x);
      const contrastive = clipLoss(this.shared(eh), this.shared(el), s);
      let reconstruction: tf.Scalar = tf.scalar(0);
      if (z && this.highDecoder && this.lowDecoder) {
        const b = x.shape[0];
        const target = tf.tensor2d(z.z, [b, this.high.layout.pixels]);
        const seen = tf.tensor2d(z.observed, [b, this.high.layout.pixels]);
        const masked = (pred: tf.Tensor) =>
          tf.div(tf.sum(tf.mul(tf.square(tf.sub(pred, target)), seen)), tf.maximum(tf.sum(seen), 1)) as tf.Scalar;
        const terms = [masked(this.highDecoder.forward(eh)), tf.mean(tf.square(tf.sub(this.lowDecoder.forward(el), x))) as tf.Scalar];
        if (this.crossDecoder) terms.push(masked(this.crossDecoder.forward(this.shared(el))));
        reconstruction = tf.div(tf.addN(terms), terms.length) as tf.Scalar;
      }
      const total = tf.add(contrastive, tf.mul(reconstruction, weight)) as tf.Scalar;
      return { contrastive, reconstruction, total };
    });
  }

  /** Symmetric InfoNCE of a batch of paired spectra (shared embeddings). */
  loss(flux: ArrayLike<number>, x: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const s = this.logLogitScale ? (tf.exp(this.logLogitScale) as tf.Scalar) : SPECCLIP_LOGIT_SCALE;
      return clipLoss(this.shared(this.embedHighRaw(flux)), this.shared(this.embedLowRaw(x)), s);
    });
  }
}

/** Options of {@link SpecClip.fit}. */
export interface FitClipOptions {
  epochs: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  /** Keep the pre-trained encoders fixed and train only the projection heads (and the scale). */
  freezeBackbones?: boolean;
  /** Weight of the reconstruction term when the model has decoders (default 1). */
  reconstructionWeight?: number;
  /**
   * Progress after every step and epoch (core's `FitProgress`, whose `loss` is the total) with the
   * contrastive and reconstruction terms of that step, or their means over the epoch.
   */
  onProgress?: (p: FitProgress, terms: { contrastive: number; reconstruction: number }) => void | Promise<void>;
  /** Abort between steps (rejects with an `AbortError`). */
  signal?: AbortSignal;
}

/**
 * Train a {@link SpecClip} on paired spectra: high flux [n, pixels] and standardised low-resolution
 * x [n, inputs]; the same as `model.fit({ high, low }, opts)`. Returns epoch losses.
 * @deprecated Use {@link SpecClip.fit}: `await model.fit({ high, low }, opts)`.
 */
export function fitClip(model: SpecClip, high: Float32Array, low: Float32Array, opts: FitClipOptions): Promise<number[]> {
  return model.fit({ high, low }, opts);
}
