import { tf, ShapeError, ValueError } from '@astro/core';
import {
  Linear,
  MLP,
  Module,
  ModuleList,
  MultiHeadAttention,
  RMSNorm,
  Rng,
  geluTanh,
  mupInitMultiplier,
  mupLrMultipliers,
  widthMultiplier,
} from '@astro/core/nn';
import { loadModel, saveModel, type ModelConfig } from '@astro/core/train';
import type { PredictOptions, SpectralEmulator } from '../emulator.js';
import type { LabelDomain } from '../labels/domain.js';
import type { LabelsInput } from '../labels/input.js';
import { checkedPredict, checkedPredictAsync, predictRows } from '../labels/predict.js';
import { MinMaxScaling } from '../labels/scaling.js';
import type { SpectraDataset } from '../training/dataset.js';
import {
  fitEmulator,
  spectrumLoss,
  type EmulatorFitOptions,
  type SpectrumLoss,
  type TrainableEmulator,
  type TrainResult,
} from '../training/train.js';
import { wavelengthEncoding } from './encoding.js';

/** Hyper-parameters of {@link TransformerPayne}. */
export interface TransformerPayneOptions {
  /** Trained label box (names, units, min, max); labels are min-max scaled to [0, 1]. */
  domain: LabelDomain;
  /** Wavelength grid that `emulate`/`predict` return, Å (length P). */
  wavelengthAngstrom: ArrayLike<number>;
  /** Model width d (default 64). */
  width?: number;
  /** Attention heads (default 4; must divide `width`). */
  numHeads?: number;
  /** Cross-attention + feed-forward layers L (default 2). */
  numLayers?: number;
  /** Label tokens T (default 8). */
  numTokens?: number;
  /** Feed-forward expansion (default 4). */
  ffnMultiplier?: number;
  /** Wavelength encoding features (default 32). */
  encodingDim?: number;
  /** Encoding periods, Å (default: the grid's pixel spacing to twice its span). */
  minPeriodAngstrom?: number;
  maxPeriodAngstrom?: number;
  /** Multiplier of each residual branch (default 1/L). */
  residualMultiplier?: number;
  /** muP base width the learning rate was tuned at (default `width`: m = 1). */
  baseWidth?: number;
  /** Zero-initialise the output head (default true) and the attention query projections (default true). */
  zeroInitHead?: boolean;
  zeroInitQuery?: boolean;
  /** Wavelengths drawn per spectrum per training step (default 64). */
  trainWavelengths?: number;
  /** Initial value of the head bias, i.e. the flux of the untrained model (default 1: the continuum). */
  headBias?: number;
  /** Initialisation seed (default 0). */
  seed?: number;
}

/** `kind` of {@link TransformerPayne} in `config.json` (`@astro/<package>/<Model>`). */
export const TRANSFORMER_PAYNE_KIND = '@astro/spectral-emulator/TransformerPayne';
/** The kind folders saved before the house naming carry; {@link TransformerPayne.load} still reads them. */
export const LEGACY_TRANSFORMER_PAYNE_KIND = 'transformer-payne';

type Resolved = Required<Omit<TransformerPayneOptions, 'domain' | 'wavelengthAngstrom'>>;

class Block extends Module {
  readonly norm1: RMSNorm;
  readonly attn: MultiHeadAttention;
  readonly norm2: RMSNorm;
  readonly ffn: MLP;
  constructor(d: number, heads: number, ffn: number, seed: number) {
    super();
    this.norm1 = this.child('norm1', new RMSNorm(d, { elementwiseAffine: false }));
    this.attn = this.child('attn', new MultiHeadAttention(d, heads, { logitScale: 'mup', seed }));
    this.norm2 = this.child('norm2', new RMSNorm(d, { elementwiseAffine: false }));
    this.ffn = this.child('ffn', new MLP({ sizes: [d, ffn * d, d], activation: 'gelu_tanh', mupRoles: false, seed: seed + 1 }));
  }
}

/**
 * TransformerPayne (Różański, Ting & Jabłońska 2024, arXiv:2407.05751): a spectrum emulator that
 * queries one wavelength at a time. Labels (min-max to [0, 1]) → two-layer GELU MLP → T label
 * tokens of width d → scale-free RMSNorm. Each wavelength λ becomes a query token from its
 * sinusoidal encoding ({@link wavelengthEncoding}) through a linear embedding; L pre-norm layers
 * of cross-attention (query → label tokens, logits scaled by 1/d_head as muP prescribes) and a
 * GELU feed-forward, each added with a residual multiplier; a scale-free RMSNorm and a linear
 * head give the flux at λ. Parameters carry muP roles (embeddings `input`, head `output`,
 * everything else `hidden`), see {@link TransformerPayne.lrMultipliers}.
 *
 * Shapes: labels [N, k] → flux [N, P] on `wavelengthAngstrom`; {@link TransformerPayne.fluxAt}
 * evaluates any wavelengths.
 */
export class TransformerPayne extends Module implements SpectralEmulator, TrainableEmulator {
  readonly kind = TRANSFORMER_PAYNE_KIND;
  static readonly schemaVersion = 1;
  readonly domain: LabelDomain;
  readonly numPixels: number;
  readonly wavelengthAngstrom: Float64Array;
  readonly scaling: MinMaxScaling;
  readonly hp: Resolved;
  readonly labelIn: Linear;
  readonly labelOut: Linear;
  readonly queryEmbed: Linear;
  readonly tokenNorm: RMSNorm;
  readonly blocks: ModuleList<Block>;
  readonly outNorm: RMSNorm;
  readonly head: Linear;
  private gridEncoding: tf.Tensor2D | undefined;

  constructor(opts: TransformerPayneOptions) {
    super();
    const wl = Float64Array.from(opts.wavelengthAngstrom);
    if (wl.length < 2) throw new ShapeError('TransformerPayne: the wavelength grid needs at least 2 pixels');
    for (let i = 1; i < wl.length; i++) {
      if (!(wl[i]! > wl[i - 1]!)) throw new ValueError(`TransformerPayne: wavelengths must increase (pixel ${i})`);
    }
    let minStep = Infinity;
    for (let i = 1; i < wl.length; i++) minStep = Math.min(minStep, wl[i]! - wl[i - 1]!);
    const width = opts.width ?? 64;
    const numLayers = opts.numLayers ?? 2;
    this.hp = {
      width,
      numHeads: opts.numHeads ?? 4,
      numLayers,
      numTokens: opts.numTokens ?? 8,
      ffnMultiplier: opts.ffnMultiplier ?? 4,
      encodingDim: opts.encodingDim ?? 32,
      minPeriodAngstrom: opts.minPeriodAngstrom ?? minStep,
      maxPeriodAngstrom: opts.maxPeriodAngstrom ?? 2 * (wl[wl.length - 1]! - wl[0]!),
      residualMultiplier: opts.residualMultiplier ?? 1 / numLayers,
      baseWidth: opts.baseWidth ?? width,
      zeroInitHead: opts.zeroInitHead ?? true,
      zeroInitQuery: opts.zeroInitQuery ?? true,
      trainWavelengths: opts.trainWavelengths ?? 64,
      headBias: opts.headBias ?? 1,
      seed: opts.seed ?? 0,
    };
    const { numHeads, numTokens: T, ffnMultiplier, encodingDim, seed } = this.hp;
    const k = opts.domain.names.length;
    this.domain = {
      names: [...opts.domain.names],
      units: [...opts.domain.units],
      min: Float64Array.from(opts.domain.min),
      max: Float64Array.from(opts.domain.max),
    };
    this.scaling = new MinMaxScaling(this.domain.min, this.domain.max, [0, 1]);
    this.wavelengthAngstrom = wl;
    this.numPixels = wl.length;
    const rng = new Rng(seed);
    const s = () => rng.nextUint32();
    // two-layer GELU label MLP; its second weight maps width → T·width tokens: 'hidden' under muP
    this.labelIn = this.child('label_in', new Linear(k, width, { seed: s(), role: 'input' }));
    this.labelOut = this.child('label_out', new Linear(width, T * width, { seed: s(), role: 'hidden' }));
    this.tokenNorm = this.child('token_norm', new RMSNorm(width, { elementwiseAffine: false }));
    this.queryEmbed = this.child('query_embed', new Linear(encodingDim, width, { seed: s(), role: 'input' }));
    this.blocks = this.child(
      'blocks',
      new ModuleList(Array.from({ length: numLayers }, () => new Block(width, numHeads, ffnMultiplier, s()))),
    );
    this.outNorm = this.child('out_norm', new RMSNorm(width, { elementwiseAffine: false }));
    const m = widthMultiplier({ width, baseWidth: this.hp.baseWidth });
    this.head = this.child('head', new Linear(width, 1, { seed: s(), role: 'output' }));
    tf.tidy(() => {
      if (this.hp.zeroInitHead) this.head.weight.assign(tf.zerosLike(this.head.weight));
      else this.head.weight.assign(tf.mul(this.head.weight, mupInitMultiplier('output', m)));
      this.head.bias!.assign(tf.fill([1], this.hp.headBias));
      if (this.hp.zeroInitQuery) for (const b of this.blocks) b.attn.q.weight.assign(tf.zerosLike(b.attn.q.weight));
    });
  }

  /** Label tokens [N, T, d] from physical labels [N, k]. */
  labelTokens(labels: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const n = labels.shape[0];
      const t = this.labelOut.forward(geluTanh(this.labelIn.forward(this.scaling.scale(labels))));
      return this.tokenNorm.forward(tf.reshape(t, [n, this.hp.numTokens, this.hp.width])) as tf.Tensor3D;
    });
  }

  /**
   * Flux at wavelength encodings: labels [N, k] with `encodings` [W, E] (shared by all rows)
   * or [N, W, E] (one set per row) → [N, W].
   */
  forwardEncoded(labels: tf.Tensor2D, encodings: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const n = labels.shape[0];
      const tokens = this.labelTokens(labels);
      const E = this.hp.encodingDim;
      let q: tf.Tensor;
      if (encodings.rank === 2) {
        const W = encodings.shape[0]!;
        q = tf.tile(tf.reshape(this.queryEmbed.forward(encodings), [1, W, this.hp.width]), [n, 1, 1]);
      } else {
        if (encodings.shape[0] !== n || encodings.shape[2] !== E)
          throw new ShapeError(`encodings must be [${n}, W, ${E}], got [${encodings.shape}]`);
        q = this.queryEmbed.forward(encodings);
      }
      const a = this.hp.residualMultiplier;
      let x = q;
      for (const b of this.blocks) {
        x = tf.add(x, tf.mul(b.attn.forward(b.norm1.forward(x), { context: tokens }), a));
        x = tf.add(x, tf.mul(b.ffn.forward(b.norm2.forward(x)), a));
      }
      const y = this.head.forward(this.outNorm.forward(x)); // [N, W, 1]
      return tf.squeeze(y, [2]) as tf.Tensor2D;
    });
  }

  /** Physical labels [N, k] → flux [N, P] on the model grid (differentiable, no domain check). */
  emulate(labels: tf.Tensor2D): tf.Tensor2D {
    this.gridEncoding ??= tf.keep(
      tf.tensor2d(wavelengthEncoding(this.wavelengthAngstrom, this.encodingOptions()), [this.numPixels, this.hp.encodingDim]),
    );
    return this.forwardEncoded(labels, this.gridEncoding);
  }

  /** Flux at arbitrary wavelengths (Å) for physical labels [N, k] → [N, W]. */
  fluxAt(labels: tf.Tensor2D, wavelengthAngstrom: ArrayLike<number>): tf.Tensor2D {
    return tf.tidy(() => {
      const enc = tf.tensor2d(wavelengthEncoding(wavelengthAngstrom, this.encodingOptions()), [
        wavelengthAngstrom.length,
        this.hp.encodingDim,
      ]);
      return this.forwardEncoded(labels, enc);
    });
  }

  /** Flux rows [N][P] for physical labels (checked: shape, NaN, trained domain); read back asynchronously. */
  predict(labels: LabelsInput, opts?: PredictOptions): Promise<number[][]> {
    return predictRows(this, labels, opts);
  }

  /** Checked forward pass as a tensor [N, P] the caller owns (shape, NaN, trained domain); see {@link SpectralEmulator.predictTensor}. */
  predictTensor(labels: LabelsInput, opts?: PredictOptions): tf.Tensor2D {
    return checkedPredict(this, labels, opts);
  }

  /** {@link predictTensor} for any labels, tensors included, read back asynchronously (every backend). */
  predictAsync(labels: LabelsInput, opts?: PredictOptions): Promise<tf.Tensor2D> {
    return checkedPredictAsync(this, labels, opts);
  }

  /**
   * Training loss on a batch: each spectrum gets `trainWavelengths` wavelengths drawn uniformly
   * over the grid, with targets linearly interpolated from its flux (Różański et al. 2024, §3).
   */
  batchLoss(labels: tf.Tensor2D, flux: tf.Tensor2D, loss: SpectrumLoss, rng: Rng): tf.Scalar {
    const B = labels.shape[0];
    const W = this.hp.trainWavelengths;
    const P = this.numPixels;
    const wl = this.wavelengthAngstrom;
    const lo = wl[0]!;
    const span = wl[P - 1]! - lo;
    const lam = new Float64Array(B * W);
    const i0 = new Int32Array(B * W);
    const t = new Float32Array(B * W);
    for (let b = 0; b < B; b++) {
      for (let w = 0; w < W; w++) {
        const x = lo + rng.uniform() * span;
        let a = 0;
        let c = P - 1;
        while (c - a > 1) {
          const mid = (a + c) >> 1;
          if (wl[mid]! <= x) a = mid;
          else c = mid;
        }
        const idx = b * W + w;
        lam[idx] = x;
        i0[idx] = b * P + a;
        t[idx] = (x - wl[a]!) / (wl[a + 1]! - wl[a]!);
      }
    }
    const enc = wavelengthEncoding(lam, this.encodingOptions());
    return tf.tidy(() => {
      const flat = tf.reshape(flux, [-1]);
      const tt = tf.tensor1d(t);
      const f0 = tf.gather(flat, tf.tensor1d(i0, 'int32'));
      const f1 = tf.gather(
        flat,
        tf.tensor1d(
          i0.map((i) => i + 1),
          'int32',
        ),
      );
      const target = tf.reshape(tf.add(f0, tf.mul(tt, tf.sub(f1, f0))), [B, W]);
      const pred = this.forwardEncoded(labels, tf.tensor3d(enc, [B, W, this.hp.encodingDim]));
      return spectrumLoss(pred, target, loss);
    });
  }

  /** Training FLOPs per spectrum (3 × forward) with `trainWavelengths` queries. */
  trainFlopsPerSample(): number {
    return 3 * this.forwardFlops(this.hp.trainWavelengths);
  }

  /** Forward FLOPs for one spectrum evaluated at W wavelengths (multiply-add = 2). */
  forwardFlops(W: number): number {
    const { width: d, numTokens: T, numLayers: L, ffnMultiplier: f, encodingDim: E } = this.hp;
    const k = this.domain.names.length;
    const labels = 2 * (k * d + d * T * d) + L * 2 * 2 * T * d * d; // label MLP + K/V projections of tokens
    const perQuery = 2 * E * d + L * (2 * d * d + 4 * T * d + 2 * d * d + 4 * f * d * d) + 2 * d;
    return labels + W * perQuery;
  }

  /** muP learning-rate multipliers by parameter name: input 1, hidden and output 1/m, biases 1 (m = width/baseWidth). */
  lrMultipliers(): Record<string, number> {
    return mupLrMultipliers(this, { width: this.hp.width, baseWidth: this.hp.baseWidth });
  }

  private encodingOptions() {
    return { dim: this.hp.encodingDim, minPeriodAngstrom: this.hp.minPeriodAngstrom, maxPeriodAngstrom: this.hp.maxPeriodAngstrom };
  }

  /** The `config.json` content: kind, schema version, hyper-parameters, label scaling with units, grid. */
  config(): ModelConfig {
    return {
      kind: this.kind,
      schemaVersion: TransformerPayne.schemaVersion,
      hyperParameters: { ...this.hp },
      scalings: {
        labels: {
          type: 'minmax',
          unit: [...this.domain.units],
          names: [...this.domain.names],
          min: [...this.domain.min],
          max: [...this.domain.max],
          range: [0, 1],
        },
      },
      wavelengthAngstrom: [...this.wavelengthAngstrom],
    };
  }

  /** Save as `config.json` + `model.safetensors` (dotted PyTorch-style names). */
  async save(dir: string): Promise<void> {
    await saveModel(dir, this, this.config());
  }

  /**
   * Train through core's `fit` (AdamW on seeded shuffled batches, abortable, `FitProgress` through
   * `onProgress`): {@link trainEmulator} with the MSE loss and the muP learning-rate multipliers
   * ({@link TransformerPayne.lrMultipliers}) unless `opts` says otherwise.
   */
  fit(data: SpectraDataset, opts: EmulatorFitOptions = {}): Promise<TrainResult> {
    return fitEmulator(this, data, { loss: 'mse', lrMultipliers: this.lrMultipliers(), ...opts });
  }

  /**
   * Load a model saved by {@link TransformerPayne.save}; checks kind and schema version. Folders
   * saved under the former kind `'transformer-payne'` load too.
   */
  static async load(dir: string): Promise<TransformerPayne> {
    const { model } = await loadModel(dir, {
      kind: (await savedKind(dir)) === LEGACY_TRANSFORMER_PAYNE_KIND ? LEGACY_TRANSFORMER_PAYNE_KIND : TRANSFORMER_PAYNE_KIND,
      schemaVersion: TransformerPayne.schemaVersion,
      build: (c: ModelConfig) => {
        const s = c.scalings?.['labels'] as { unit: string[]; names: string[]; min: number[]; max: number[] } | undefined;
        if (!s) throw new ValueError(`${TRANSFORMER_PAYNE_KIND} config.json lacks scalings.labels`);
        return new TransformerPayne({
          ...(c.hyperParameters as Partial<Resolved>),
          domain: { names: s.names, units: s.unit, min: Float64Array.from(s.min), max: Float64Array.from(s.max) },
          wavelengthAngstrom: c['wavelengthAngstrom'] as number[],
        });
      },
    });
    return model;
  }

  override dispose(): void {
    this.gridEncoding?.dispose();
    this.gridEncoding = undefined;
    super.dispose();
  }
}

/** The `kind` in `dir/config.json`, or undefined when it cannot be read (the loader then reports why). */
export async function savedKind(dir: string): Promise<string | undefined> {
  try {
    const fs = await import('node:fs/promises');
    const path = await import('node:path');
    const c = JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8')) as { kind?: unknown };
    return typeof c.kind === 'string' ? c.kind : undefined;
  } catch {
    return undefined;
  }
}
