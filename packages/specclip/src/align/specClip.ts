import { tf, ShapeError, ValueError, AbortError } from '@astro/core';
import { Module, MLP, rngFor } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { Rng } from '@astro/core/data';
import { SpectrumTransformer } from '../encoders/spectrumTransformer.js';
import { XpAutoencoder } from '../encoders/xpAutoencoder.js';
import { patchify } from '../encoders/patches.js';
import { AttentionPooling } from './pooling.js';
import { clipLoss, l2Normalize, SPECCLIP_LOGIT_SCALE } from './infonce.js';

/** Options of {@link SpecClip}. */
export interface SpecClipOptions {
  /** Width of the shared embedding space (default 32). */
  embedDim?: number;
  /** `'fixed'` (default): logits × 15.5 as SpecCLIP; `'learnable'`: a trained log-scale initialised at ln 15.5. */
  logitScale?: 'fixed' | 'learnable';
  seed?: number;
}

/**
 * CLIP alignment of two instruments (SpecCLIP): the high-resolution token encoder with an
 * attention-pooling head (`high_proj`) and the XP-like autoencoder's encoder with an MLP head
 * (`low_proj`) map a star's two spectra into one L2-normalised embedding space.
 * Parameters: `high.*` ({@link SpectrumTransformer}), `low.*` ({@link XpAutoencoder}), `high_proj.*`,
 * `low_proj.layers.*`, and `logit_scale` (ln s) when learnable.
 */
export class SpecClip extends Module {
  readonly high: SpectrumTransformer;
  readonly low: XpAutoencoder;
  readonly highProj: AttentionPooling;
  readonly lowProj: MLP;
  readonly embedDim: number;
  readonly logLogitScale: tf.Variable | null;

  constructor(high: SpectrumTransformer, low: XpAutoencoder, opts: SpecClipOptions = {}) {
    super();
    const rng = rngFor(opts.seed);
    this.embedDim = opts.embedDim ?? 32;
    this.high = this.child('high', high);
    this.low = this.child('low', low);
    this.highProj = this.child('high_proj', new AttentionPooling(high.dim, this.embedDim, rng.nextUint32()));
    this.lowProj = this.child('low_proj', new MLP({ sizes: [low.latent, 2 * this.embedDim, this.embedDim], seed: rng.nextUint32() }));
    const mode = opts.logitScale ?? 'fixed';
    if (mode !== 'fixed' && mode !== 'learnable') throw new ValueError(`SpecClip: logitScale must be 'fixed' or 'learnable', got '${String(mode)}'`);
    this.logLogitScale = mode === 'learnable' ? this.param('logit_scale', tf.scalar(Math.log(SPECCLIP_LOGIT_SCALE)), 'bias') : null;
  }

  /** The logit scale s currently in use. */
  logitScale(): number {
    return this.logLogitScale ? Math.exp(this.logLogitScale.dataSync()[0]!) : SPECCLIP_LOGIT_SCALE;
  }

  /** Unnormalised high-resolution embeddings of flux [B, pixels] (NaN pixels masked). */
  embedHighRaw(flux: ArrayLike<number>): tf.Tensor2D {
    const x = patchify(flux, this.high.layout);
    try {
      return tf.tidy(() => this.highProj.forward(this.high.forward(x.patches, x.logStd)));
    } finally {
      tf.dispose([x.patches, x.observed, x.logStd]);
    }
  }

  /** Unnormalised low-resolution embeddings of standardised x [B, inputs]. */
  embedLowRaw(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.lowProj.forward(this.low.forward(x)) as tf.Tensor2D);
  }

  /** L2-normalised high-resolution embeddings [B, embedDim]. */
  embedHigh(flux: ArrayLike<number>): tf.Tensor2D {
    return tf.tidy(() => l2Normalize(this.embedHighRaw(flux)));
  }

  /** L2-normalised low-resolution embeddings [B, embedDim]. */
  embedLow(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => l2Normalize(this.embedLowRaw(x)));
  }

  /** Symmetric InfoNCE of a batch of paired spectra. */
  loss(flux: ArrayLike<number>, x: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const s = this.logLogitScale ? tf.exp(this.logLogitScale) as tf.Scalar : SPECCLIP_LOGIT_SCALE;
      return clipLoss(this.embedHighRaw(flux), this.embedLowRaw(x), s);
    });
  }
}

/** Options of {@link fitClip}. */
export interface FitClipOptions {
  epochs: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  /** Keep the pre-trained encoders fixed and train only the projection heads (and the scale). */
  freezeBackbones?: boolean;
  onEpoch?: (epoch: number, loss: number) => void;
  signal?: AbortSignal;
}

/**
 * Train a {@link SpecClip} on paired spectra: high flux [n, pixels] and standardised low-resolution
 * x [n, inputs], row i of each being the same star. AdamW, warm-up + cosine. Returns epoch losses.
 * @throws {ShapeError} when the two views hold different numbers of stars.
 */
export async function fitClip(model: SpecClip, high: Float32Array, low: Float32Array, opts: FitClipOptions): Promise<number[]> {
  const P = model.high.layout.pixels;
  const F = model.low.inputs;
  if (high.length % P !== 0 || low.length % F !== 0 || high.length / P !== low.length / F) {
    throw new ShapeError(`fitClip: ${high.length / P} high-resolution and ${low.length / F} low-resolution spectra; they must pair up`);
  }
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1) throw new ValueError(`fitClip: epochs must be a positive integer, got ${opts.epochs}`);
  const n = high.length / P;
  const bs = Math.min(opts.batchSize ?? 64, n);
  if (bs < 2) throw new ShapeError('fitClip: need at least 2 pairs');
  if (opts.freezeBackbones) {
    model.high.freeze();
    model.low.freeze();
  }
  const steps = opts.epochs * Math.floor(n / bs);
  const opt = new AdamW(model.trainableParameters(), {
    lr: warmupCosine({ peakLr: opts.lr ?? 1e-3, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
    weightDecay: 0.01,
  });
  const rng = Rng.fromSeed(opts.seed ?? 0);
  const hist: number[] = [];
  try {
    for (let e = 0; e < opts.epochs; e++) {
      const idx = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
      let sum = 0;
      let batches = 0;
      for (let s = 0; s + bs <= n; s += bs) {
        if (opts.signal?.aborted) throw new AbortError('fitClip aborted');
        const rows = idx.subarray(s, s + bs);
        const hb = new Float32Array(bs * P);
        const lb = new Float32Array(bs * F);
        rows.forEach((r, i) => {
          hb.set(high.subarray(r * P, (r + 1) * P), i * P);
          lb.set(low.subarray(r * F, (r + 1) * F), i * F);
        });
        const x = tf.tensor2d(lb, [bs, F]);
        const { loss } = opt.minimize(() => model.loss(hb, x));
        sum += (await loss.data())[0]!;
        batches++;
        tf.dispose([loss, x]);
      }
      hist.push(sum / batches);
      opts.onEpoch?.(e, sum / batches);
    }
  } finally {
    opt.dispose();
    if (opts.freezeBackbones) {
      model.high.unfreeze();
      model.low.unfreeze();
    }
  }
  return hist;
}
