import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { fusedLayerNorm } from './fused.js';
import { expectLastDim, expectPositiveInt } from './shape.js';
import { ValueError } from '../errors/index.js';

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5, as PyTorch). */
  eps?: number;
  /** Learn a gain `weight` [dim] (ones) and shift `bias` [dim] (zeros) (default true). */
  elementwiseAffine?: boolean;
  /** Learn the shift `bias` when affine (default true). */
  bias?: boolean;
}

/**
 * Layer normalisation over the last axis (Ba et al. 2016), as `torch.nn.LayerNorm(dim)`:
 * y = (x − mean)/√(var + eps)·weight + bias with the biased variance. x [..., dim].
 * One fused kernel each way on wasm (`fusedLayerNorm`).
 */
export class LayerNorm extends Module {
  readonly dim: number;
  readonly eps: number;
  readonly weight: tf.Variable | null;
  readonly bias: tf.Variable | null;

  constructor(dim: number, opts: LayerNormOptions = {}) {
    super();
    expectPositiveInt('LayerNorm', 'dim', dim);
    this.dim = dim;
    this.eps = checkEps('LayerNorm', opts.eps ?? 1e-5);
    const affine = opts.elementwiseAffine ?? true;
    this.weight = affine ? this.param('weight', tf.ones([dim]), 'norm') : null;
    this.bias = affine && (opts.bias ?? true) ? this.param('bias', tf.zeros([dim]), 'norm') : null;
  }

  /** x [..., dim] → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    expectLastDim(`LayerNorm(${this.dim})`, 'input', x, this.dim);
    return fusedLayerNorm(x, this.weight, this.bias, this.eps);
  }
}

/** Options of {@link RMSNorm}. */
export interface RMSNormOptions {
  /** Added to the mean square (default 1e-6). */
  eps?: number;
  /**
   * Learn a gain `weight` [dim] initialised to ones (default true). `false` gives the
   * scale-free form used by TransformerPayne (Różański et al. 2024), with no parameters.
   */
  elementwiseAffine?: boolean;
}

/**
 * Root-mean-square normalisation over the last axis (Zhang & Sennrich 2019):
 * y = x/√(mean(x²) + eps)·weight. x [..., dim]. Matches `torch.nn.RMSNorm(dim, eps)`.
 */
export class RMSNorm extends Module {
  readonly dim: number;
  readonly eps: number;
  readonly weight: tf.Variable | null;

  constructor(dim: number, opts: RMSNormOptions = {}) {
    super();
    expectPositiveInt('RMSNorm', 'dim', dim);
    this.dim = dim;
    this.eps = checkEps('RMSNorm', opts.eps ?? 1e-6);
    this.weight = (opts.elementwiseAffine ?? true) ? this.param('weight', tf.ones([dim]), 'norm') : null;
  }

  /** x [..., dim] → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    expectLastDim(`RMSNorm(${this.dim})`, 'input', x, this.dim);
    return tf.tidy(() => {
      const ms = tf.mean(tf.square(x), -1, true);
      const y = tf.mul(x, tf.rsqrt(tf.add(ms, this.eps)));
      return this.weight ? tf.mul(y, this.weight) : y;
    });
  }
}

function checkEps(layer: string, eps: number): number {
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new ValueError(`${layer}: eps must be finite and ≥ 0, got ${eps}`);
  return eps;
}
