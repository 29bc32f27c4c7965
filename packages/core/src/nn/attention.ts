import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, ValueError } from '../errors/index.js';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { Dropout } from './dropout.js';
import { type Initializer, rngFor } from './init.js';
import { expectPositiveInt, expectShape } from './shape.js';

/** Options of {@link MultiHeadAttention}. */
export interface MultiHeadAttentionOptions {
  /** Width of the keys/values input for cross-attention (default `dim`). */
  contextDim?: number;
  /** Biases in the q/k/v/out projections (default true). */
  bias?: boolean;
  /**
   * Multiplier of the logits q·k: `'standard'` 1/√d_head (Vaswani et al. 2017, default),
   * `'mup'` 1/d_head (muP, Yang et al. 2022 §4), or a number.
   */
  logitScale?: 'standard' | 'mup' | number;
  /** Dropout on the attention weights in training mode (default 0). */
  dropout?: number;
  /** Seed of the initialisation and dropout. */
  seed?: number;
  /** Weight initialiser of the projections (default PyTorch's Linear init). */
  weightInit?: Initializer;
}

/** Masks and context of one {@link MultiHeadAttention} call. */
export interface AttentionInputs {
  /** Keys/values source [B, S, contextDim] for cross-attention; default: self-attention on x. */
  context?: tf.Tensor;
  /** Query i attends only to keys j ≤ i (top-left aligned, as `torch.tril`). */
  causal?: boolean;
  /**
   * Keys to ignore, [B, S]: bool (true = padding, as PyTorch's `key_padding_mask`) or
   * numbers (1 = padding). A query whose keys are all masked attends uniformly (PyTorch gives NaN).
   */
  keyPaddingMask?: tf.Tensor;
}

const MASKED = -1e9;

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017, eq. 1):
 * softmax(s·QKᵀ + mask)·V per head with Q = x·W_qᵀ, K = c·W_kᵀ, V = c·W_vᵀ, heads
 * concatenated and projected by W_o. Parameters `q`, `k`, `v`, `out` (each a {@link Linear}).
 * x [B, T, dim], context [B, S, contextDim] → [B, T, dim]. All heads run as one batched
 * matMul over [B, H, T, d_head].
 */
export class MultiHeadAttention extends Module {
  readonly dim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly contextDim: number;
  /** The logit multiplier s. */
  readonly scale: number;
  readonly q: Linear;
  readonly k: Linear;
  readonly v: Linear;
  readonly out: Linear;
  private readonly drop: Dropout | null;

  constructor(dim: number, numHeads: number, opts: MultiHeadAttentionOptions = {}) {
    super();
    expectPositiveInt('MultiHeadAttention', 'dim', dim);
    expectPositiveInt('MultiHeadAttention', 'numHeads', numHeads);
    if (dim % numHeads !== 0) {
      throw new ValueError(`MultiHeadAttention: dim ${dim} is not divisible by numHeads ${numHeads}`);
    }
    this.dim = dim;
    this.numHeads = numHeads;
    this.headDim = dim / numHeads;
    this.contextDim = opts.contextDim ?? dim;
    expectPositiveInt('MultiHeadAttention', 'contextDim', this.contextDim);
    const ls = opts.logitScale ?? 'standard';
    if (ls === 'standard') this.scale = 1 / Math.sqrt(this.headDim);
    else if (ls === 'mup') this.scale = 1 / this.headDim;
    else if (typeof ls === 'number' && Number.isFinite(ls) && ls > 0) this.scale = ls;
    else throw new ValueError(`MultiHeadAttention: logitScale must be 'standard', 'mup' or a positive number, got ${String(ls)}`);
    const rng = rngFor(opts.seed);
    const lin = () => ({
      seed: rng.nextUint32(),
      bias: opts.bias ?? true,
      role: 'hidden' as const,
      ...(opts.weightInit ? { weightInit: opts.weightInit } : {}),
    });
    this.q = this.child('q', new Linear(dim, dim, lin()));
    this.k = this.child('k', new Linear(this.contextDim, dim, lin()));
    this.v = this.child('v', new Linear(this.contextDim, dim, lin()));
    this.out = this.child('out', new Linear(dim, dim, lin()));
    const p = opts.dropout ?? 0;
    this.drop = p > 0 ? this.child('dropout', new Dropout({ p, seed: rng.nextUint32() })) : null;
  }

  /** x [B, T, dim] → [B, T, dim]. */
  forward(x: tf.Tensor, inputs: AttentionInputs = {}): tf.Tensor {
    const name = `MultiHeadAttention(dim=${this.dim}, heads=${this.numHeads})`;
    expectShape(name, 'input', x, [null, null, this.dim]);
    const [B, T] = x.shape as [number, number, number];
    const ctx = inputs.context ?? x;
    if (inputs.context) expectShape(name, 'context', ctx, [B, null, this.contextDim]);
    else if (this.contextDim !== this.dim) {
      throw new ShapeError(`${name}: built for cross-attention with contextDim ${this.contextDim}; pass inputs.context`);
    }
    const S = ctx.shape[1]!;
    const kpm = inputs.keyPaddingMask;
    if (kpm) expectShape(name, 'keyPaddingMask', kpm, [B, S]);
    const { numHeads: H, headDim: dh } = this;
    return tf.tidy(() => {
      const heads = (t: tf.Tensor, L: number) => tf.transpose(tf.reshape(t, [B, L, H, dh]), [0, 2, 1, 3]);
      const q = heads(tf.mul(this.q.forward(x), this.scale), T);
      const k = heads(this.k.forward(ctx), S);
      const v = heads(this.v.forward(ctx), S);
      let logits = tf.matMul(q, k, false, true); // [B, H, T, S]
      const bias = maskBias(B, T, S, inputs.causal ?? false, kpm);
      if (bias) logits = tf.add(logits, bias);
      let a = tf.softmax(logits);
      if (this.drop) a = this.drop.forward(a);
      const o = tf.reshape(tf.transpose(tf.matMul(a, v), [0, 2, 1, 3]), [B * T, this.dim]);
      return tf.reshape(this.out.forward(o), [B, T, this.dim]);
    });
  }
}

/** Additive mask [1|B, 1, 1|T, S] (0 or −1e9) from causality and key padding; null when none. */
function maskBias(B: number, T: number, S: number, causal: boolean, kpm: tf.Tensor | undefined): tf.Tensor | null {
  let bias: tf.Tensor | null = null;
  if (causal) {
    const m = new Float32Array(T * S);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < S; j++) m[i * S + j] = MASKED;
    bias = tf.tensor(m, [1, 1, T, S]);
  }
  if (kpm) {
    if (kpm.dtype !== 'bool' && kpm.dtype !== 'float32' && kpm.dtype !== 'int32') {
      throw new ValueError(`keyPaddingMask must be bool or numeric, got ${kpm.dtype}`);
    }
    const pad = tf.reshape(tf.mul(tf.cast(kpm, 'float32'), MASKED), [B, 1, 1, S]);
    bias = bias ? tf.add(bias, pad) : pad;
  }
  return bias;
}
