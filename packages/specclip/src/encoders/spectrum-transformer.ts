import { tf, ShapeError, ValueError } from '@astro/core';
import { Module, ModuleList, Linear, LayerNorm, TransformerBlock, initTensor, truncNormal, rngFor } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream } from '@astro/core/train';
import { chunkMask, patchify, type PatchLayout } from './patches.js';
import { maskedReconstructionLoss } from './masked-loss.js';
import { batchOrder, checkPretrainOptions, fitOptionsOf, gatherRows, type MaskedPretrainOptions } from './pretrain-options.js';

/** Options of {@link SpectrumTransformer}. */
export interface SpectrumTransformerOptions {
  /** Patch layout of the input spectra (see `patchLayout`). */
  layout: PatchLayout;
  /** Token width (default 64; SpecCLIP's LAMOST encoder uses 768). */
  dim?: number;
  /** Transformer blocks (default 2). */
  depth?: number;
  /** Attention heads (default 4). */
  heads?: number;
  /**
   * Attention logit scale: `'standard'` q·k/√d_head (default), or `'specformer'` q·k/d_head — what
   * the published SpecCLIP/AstroCLIP SpecFormer computes on PyTorch ≥ 2 (it scales q by d_head^-½
   * and then calls `scaled_dot_product_attention`, which scales by d_head^-½ again).
   */
  attentionScale?: 'standard' | 'specformer';
  /** Seed of the initialisation. */
  seed?: number;
}

/**
 * Masked-modelling transformer encoder over overlapping pixel patches (SpecCLIP's LAMOST/XP
 * foundation encoder, after Koblischke & Bovy 2024's spectral MAE): each window is embedded by
 * `patch_embed` (Linear W→dim), a log-std token (`std_embed`, Linear 1→dim of ln σ) is prepended,
 * learned positions are added, then pre-norm transformer `blocks` and a final `norm`.
 * A `decoder` head (Linear dim→W) reconstructs patch pixels for pre-training.
 * Parameter names: `patch_embed.*`, `std_embed.*`, `pos_embed`, `mask_token`, `blocks.<i>.*`, `norm.*`, `decoder.*`.
 *
 * The house model surface: `await fit({ flux }, opts)` pre-trains by masked modelling through core's
 * `fit`, `await predict(flux)` gives mean-pooled embeddings, `save(dir)` / `SpectrumTransformer.load(dir)`.
 */
export class SpectrumTransformer extends Module {
  /**
   * Save to `dir`: config.json (kind `@astro/specclip/SpectrumTransformer`, hyper-parameters, scalings) and
   * model.safetensors with PyTorch-style names, each written atomically (Node).
   */
  async save(dir: string, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
    const { saveSpecclipModel } = await import('../checkpoints/files.js');
    return saveSpecclipModel(dir, this, opts);
  }

  /** Load a model saved by `save` (kind, schemaVersion and shapes checked; Node). */
  static async load(dir: string): Promise<SpectrumTransformer> {
    const { loadSpecclipModel } = await import('../checkpoints/files.js');
    return loadSpecclipModel(dir, 'SpectrumTransformer');
  }

  readonly layout: PatchLayout;
  readonly dim: number;
  /** Transformer blocks. */
  readonly depth: number;
  /** Attention heads per block. */
  readonly heads: number;
  /** Attention logit scale (see {@link SpectrumTransformerOptions.attentionScale}). */
  readonly attentionScale: 'standard' | 'specformer';
  readonly patchEmbed: Linear;
  readonly stdEmbed: Linear;
  readonly posEmbed: tf.Variable;
  readonly maskToken: tf.Variable;
  readonly blocks: ModuleList<TransformerBlock>;
  readonly norm: LayerNorm;
  readonly decoder: Linear;

  constructor(opts: SpectrumTransformerOptions) {
    super();
    this.layout = opts.layout;
    const dim = (this.dim = opts.dim ?? 64);
    const depth = (this.depth = opts.depth ?? 2);
    const heads = (this.heads = opts.heads ?? 4);
    const rng = rngFor(opts.seed);
    const W = this.layout.window;
    this.patchEmbed = this.child('patch_embed', new Linear(W, dim, { seed: rng.nextUint32() }));
    this.stdEmbed = this.child('std_embed', new Linear(1, dim, { seed: rng.nextUint32() }));
    this.posEmbed = this.param('pos_embed', initTensor(truncNormal({ std: 0.02 }), [this.layout.tokens + 1, dim], rng));
    this.maskToken = this.param('mask_token', initTensor(truncNormal({ std: 0.02 }), [dim], rng), 'hidden');
    const blocks: TransformerBlock[] = [];
    const scale = (this.attentionScale = opts.attentionScale ?? 'standard');
    if (scale !== 'standard' && scale !== 'specformer')
      throw new ValueError(`SpectrumTransformer: attentionScale must be 'standard' or 'specformer', got '${String(scale)}'`);
    for (let i = 0; i < depth; i++)
      blocks.push(new TransformerBlock(dim, heads, { seed: rng.nextUint32(), logitScale: scale === 'specformer' ? 'mup' : 'standard' }));
    this.blocks = this.child('blocks', new ModuleList(blocks));
    this.norm = this.child('norm', new LayerNorm(dim));
    this.decoder = this.child('decoder', new Linear(dim, W, { seed: rng.nextUint32() }));
  }

  /**
   * Pre-train by masked modelling on flux [n, pixels] through core's `fit` (seeded shuffles and
   * masks, progress, abort): each step chunk-masks tokens, encodes, reconstructs the masked patches
   * and minimises {@link maskedReconstructionLoss} with AdamW (warm-up + cosine). Returns the mean
   * loss of each epoch.
   * @throws {ShapeError} when flux is not n × the layout's pixel count.
   * @throws {ValueError} for bad `epochs` or `batchSize`. @throws {AbortError} when `signal` aborts.
   */
  async fit(data: { flux: Float32Array }, opts: MaskedPretrainOptions): Promise<number[]> {
    checkPretrainOptions(opts, 'SpectrumTransformer.fit');
    const { flux } = data;
    const P = this.layout.pixels;
    if (flux.length % P !== 0 || flux.length === 0)
      throw new ShapeError(`SpectrumTransformer.fit: flux length ${flux.length} is not a positive multiple of ${P} pixels`);
    const n = flux.length / P;
    const bs = opts.batchSize ?? 32;
    const steps = opts.epochs * Math.ceil(n / bs);
    const opt = new AdamW(this.trainableParameters(), {
      lr: warmupCosine({ peakLr: opts.lr ?? 1e-3, warmupSteps: Math.max(1, Math.round(0.05 * steps)), totalSteps: steps }),
      weightDecay: opts.weightDecay ?? 0.01,
    });
    type MaskedBatch = { patches: tf.Tensor3D; observed: tf.Tensor3D; logStd: tf.Tensor2D; mask: tf.Tensor2D };
    const layout = this.layout;
    const maskRatio = opts.maskRatio ?? 0.3;
    const chunk = opts.chunk ?? 4;
    const stream: BatchStream<MaskedBatch> = {
      numBatches: Math.ceil(n / bs),
      *batches(_epoch, rng) {
        // one permutation per epoch, then each batch's chunk masks, all from the epoch's stream
        for (const rows of batchOrder(n, bs, rng)) {
          const x = patchify(gatherRows(flux, P, rows), layout);
          const mask = tf.tensor2d(chunkMask(rows.length, layout.tokens, maskRatio, chunk, rng), [rows.length, layout.tokens]);
          yield { ...x, mask };
        }
      },
    };
    this.train();
    try {
      const r = await fit(this, stream, {
        epochs: opts.epochs,
        optimizer: opt,
        step: (b) => maskedReconstructionLoss(this.reconstruct(this.forward(b.patches, b.logStd, b.mask)), b.patches, b.observed, b.mask),
        ...fitOptionsOf(opts),
      });
      return r.history.loss;
    } finally {
      opt.dispose();
      this.eval();
    }
  }

  /**
   * Embeddings of flux [n, pixels] (NaN pixels masked): the mean of the encoded tokens, row-major
   * [n, dim], computed in batches of `batchSize` and read back asynchronously (any backend).
   * @throws {ShapeError} for an empty array or a length that is not a multiple of the pixel count.
   */
  async predict(flux: ArrayLike<number>, opts: { batchSize?: number } = {}): Promise<Float32Array> {
    const P = this.layout.pixels;
    if (flux.length === 0 || flux.length % P !== 0)
      throw new ShapeError(`SpectrumTransformer.predict: ${flux.length} values is not a positive multiple of ${P} pixels`);
    const bs = opts.batchSize ?? 128;
    if (!Number.isInteger(bs) || bs < 1)
      throw new ValueError(`SpectrumTransformer.predict: batchSize must be a positive integer, got ${bs}`);
    const n = flux.length / P;
    const src = flux instanceof Float32Array ? flux : Float32Array.from(flux);
    const out = new Float32Array(n * this.dim);
    for (let s = 0; s < n; s += bs) {
      const e = Math.min(n, s + bs);
      const t = this.embedTensor(src.subarray(s * P, e * P));
      try {
        out.set(await t.data(), s * this.dim);
      } finally {
        t.dispose();
      }
    }
    return out;
  }

  /** Mean-pooled tokens of flux [B, pixels] → [B, dim] on the backend (NaN pixels masked); the caller disposes it. */
  embedTensor(flux: ArrayLike<number>): tf.Tensor2D {
    const x = patchify(flux, this.layout);
    try {
      return tf.tidy(() => tf.mean(this.forward(x.patches, x.logStd), 1) as tf.Tensor2D);
    } finally {
      tf.dispose([x.patches, x.observed, x.logStd]);
    }
  }

  /**
   * Encode patches [B, T, W] and log σ [B, 1] → tokens [B, T+1, dim] (token 0 is the log-std token).
   * With `mask` [B, T] (1 = masked), masked patch embeddings are replaced by the learned mask token.
   * @throws {ShapeError} when the patch count or window differs from the layout.
   */
  forward(patches: tf.Tensor3D, logStd: tf.Tensor2D, mask?: tf.Tensor2D): tf.Tensor3D {
    const [b, t, w] = patches.shape;
    if (t !== this.layout.tokens || w !== this.layout.window) {
      throw new ShapeError(
        `SpectrumTransformer: expected patches [B, ${this.layout.tokens}, ${this.layout.window}] for ${this.layout.pixels}-pixel spectra, got [${patches.shape.join(', ')}]`,
      );
    }
    if (logStd.shape[0] !== b || logStd.shape[1] !== 1)
      throw new ShapeError(`SpectrumTransformer: logStd must be [${b}, 1], got [${logStd.shape.join(', ')}]`);
    return tf.tidy(() => {
      let x = this.patchEmbed.forward(patches) as tf.Tensor3D;
      if (mask) {
        const m = tf.expandDims(mask, -1);
        x = tf.add(tf.mul(x, tf.sub(1, m)), tf.mul(m, this.maskToken)) as tf.Tensor3D;
      }
      const s = tf.expandDims(this.stdEmbed.forward(logStd), 1);
      let h: tf.Tensor = tf.add(tf.concat([s, x], 1), this.posEmbed);
      for (let i = 0; i < this.blocks.length; i++) h = this.blocks.at(i).forward(h);
      return this.norm.forward(h) as tf.Tensor3D;
    });
  }

  /** Reconstruct each patch's pixels from encoded tokens [B, T+1, dim] → [B, T, W]. */
  reconstruct(tokens: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, t1, d] = tokens.shape;
      return this.decoder.forward(tf.slice(tokens, [0, 1, 0], [b, t1 - 1, d])) as tf.Tensor3D;
    });
  }
}
