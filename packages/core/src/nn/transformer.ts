import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/index.js';
import { Module } from './module.js';
import { LayerNorm, RMSNorm } from './norm.js';
import { MultiHeadAttention, type AttentionInputs } from './attention.js';
import { MLP } from './mlp.js';
import { Dropout } from './dropout.js';
import type { ActivationName } from './activations.js';
import { rngFor } from './init.js';
import { expectShape, expectPositiveInt } from './shape.js';

/** Options of {@link TransformerBlock}. */
export interface TransformerBlockOptions {
  /** MLP hidden width = mlpRatio·dim (default 4). */
  mlpRatio?: number;
  /** MLP activation (default `'gelu'`). */
  activation?: ActivationName;
  /** Normalisation: `'layer'` ({@link LayerNorm}, default) or `'rms'` ({@link RMSNorm}). */
  norm?: 'layer' | 'rms';
  /** Learn norm gains (and LayerNorm shifts) (default true); false gives scale-free norms. */
  normAffine?: boolean;
  /** Norm epsilon (default 1e-5 for LayerNorm, 1e-6 for RMSNorm). */
  normEps?: number;
  /** Add a cross-attention sub-layer to a context of this width. */
  contextDim?: number;
  /** Biases in attention and MLP projections (default true). */
  bias?: boolean;
  /** Attention logit scale (see {@link MultiHeadAttentionOptions.logitScale}). */
  logitScale?: 'standard' | 'mup' | number;
  /** Dropout on each residual branch and in attention (default 0). */
  dropout?: number;
  /** Seed of the initialisation and dropout. */
  seed?: number;
}

/** Inputs of one {@link TransformerBlock} call. */
export interface TransformerBlockInputs {
  /** Context [B, S, contextDim] for the cross-attention sub-layer (required when built with contextDim). */
  context?: tf.Tensor;
  /** Causal self-attention. */
  causal?: boolean;
  /** Padding of x's tokens [B, T] for self-attention (true/1 = padding). */
  keyPaddingMask?: tf.Tensor;
  /** Padding of the context tokens [B, S] for cross-attention. */
  contextPaddingMask?: tf.Tensor;
}

/**
 * Pre-norm transformer block (Xiong et al. 2020; GPT-2): x ← x + attn(norm1(x));
 * [x ← x + cross_attn(norm_cross(x), context)]; x ← x + mlp(norm2(x)).
 * Parameters: `norm1`, `attn`, [`norm_cross`, `cross_attn`], `norm2`, `mlp.layers.{0,1}`.
 * x [B, T, dim] → [B, T, dim].
 */
export class TransformerBlock extends Module {
  readonly dim: number;
  readonly norm1: LayerNorm | RMSNorm;
  readonly attn: MultiHeadAttention;
  readonly normCross: LayerNorm | RMSNorm | null;
  readonly crossAttn: MultiHeadAttention | null;
  readonly norm2: LayerNorm | RMSNorm;
  readonly mlp: MLP;
  private readonly drop: Dropout | null;

  constructor(dim: number, numHeads: number, opts: TransformerBlockOptions = {}) {
    super();
    expectPositiveInt('TransformerBlock', 'dim', dim);
    this.dim = dim;
    const rng = rngFor(opts.seed);
    const norm = opts.norm ?? 'layer';
    if (norm !== 'layer' && norm !== 'rms') throw new ValueError(`TransformerBlock: norm must be 'layer' or 'rms', got '${String(norm)}'`);
    const affine = opts.normAffine ?? true;
    const mkNorm = () =>
      norm === 'layer'
        ? new LayerNorm(dim, { elementwiseAffine: affine, ...(opts.normEps === undefined ? {} : { eps: opts.normEps }) })
        : new RMSNorm(dim, { elementwiseAffine: affine, ...(opts.normEps === undefined ? {} : { eps: opts.normEps }) });
    const p = opts.dropout ?? 0;
    const attnOpts = {
      bias: opts.bias ?? true,
      logitScale: opts.logitScale ?? 'standard',
      dropout: p,
    };
    this.norm1 = this.child('norm1', mkNorm());
    this.attn = this.child('attn', new MultiHeadAttention(dim, numHeads, { ...attnOpts, seed: rng.nextUint32() }));
    if (opts.contextDim !== undefined) {
      this.normCross = this.child('norm_cross', mkNorm());
      this.crossAttn = this.child(
        'cross_attn',
        new MultiHeadAttention(dim, numHeads, { ...attnOpts, contextDim: opts.contextDim, seed: rng.nextUint32() }),
      );
    } else {
      this.normCross = null;
      this.crossAttn = null;
    }
    this.norm2 = this.child('norm2', mkNorm());
    const ratio = opts.mlpRatio ?? 4;
    const hidden = Math.round(ratio * dim);
    if (!(hidden > 0)) throw new ValueError(`TransformerBlock: mlpRatio must be positive, got ${ratio}`);
    this.mlp = this.child(
      'mlp',
      new MLP({
        sizes: [dim, hidden, dim],
        activation: opts.activation ?? 'gelu',
        bias: opts.bias ?? true,
        mupRoles: false,
        seed: rng.nextUint32(),
      }),
    );
    this.drop = p > 0 ? this.child('dropout', new Dropout({ p, seed: rng.nextUint32() })) : null;
  }

  /** x [B, T, dim] → [B, T, dim]. */
  forward(x: tf.Tensor, inputs: TransformerBlockInputs = {}): tf.Tensor {
    expectShape(`TransformerBlock(dim=${this.dim})`, 'input', x, [null, null, this.dim]);
    if (this.crossAttn && !inputs.context) {
      throw new ValueError('TransformerBlock: built with contextDim, so forward needs inputs.context');
    }
    if (!this.crossAttn && inputs.context) {
      throw new ValueError('TransformerBlock: got inputs.context but was built without contextDim');
    }
    return tf.tidy(() => {
      const branch = (t: tf.Tensor) => (this.drop ? this.drop.forward(t) : t);
      const self: AttentionInputs = { causal: inputs.causal ?? false };
      if (inputs.keyPaddingMask) self.keyPaddingMask = inputs.keyPaddingMask;
      let h = tf.add(x, branch(this.attn.forward(this.norm1.forward(x), self)));
      if (this.crossAttn && this.normCross && inputs.context) {
        const cross: AttentionInputs = { context: inputs.context };
        if (inputs.contextPaddingMask) cross.keyPaddingMask = inputs.contextPaddingMask;
        h = tf.add(h, branch(this.crossAttn.forward(this.normCross.forward(h), cross)));
      }
      return tf.add(h, branch(this.mlp.forward(this.norm2.forward(h))));
    });
  }
}
