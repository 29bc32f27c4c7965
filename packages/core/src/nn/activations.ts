import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/index.js';
import { Module } from './module.js';

/** Activation functions understood by {@link activation}, {@link MLP} and {@link TransformerBlock}. */
export type ActivationName = 'gelu' | 'gelu_tanh' | 'relu' | 'leaky_relu' | 'silu' | 'tanh' | 'sigmoid' | 'identity';

/** An element-wise activation. */
export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU, exact form: x·Φ(x) = ½x(1 + erf(x/√2)) (Hendrycks & Gimpel 2016; `F.gelu`). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)));
}

/** GELU, tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (`F.gelu(approximate='tanh')`). */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  });
}

/** SiLU / swish: x·σ(x) (Elfwing et al. 2018). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/**
 * The activation called `name`. `negativeSlope` is the leaky-ReLU slope (default 0.01,
 * as `torch.nn.LeakyReLU`).
 */
export function activation(name: ActivationName, opts: { negativeSlope?: number } = {}): ActivationFn {
  switch (name) {
    case 'gelu':
      return gelu;
    case 'gelu_tanh':
      return geluTanh;
    case 'relu':
      return (x) => tf.relu(x);
    case 'leaky_relu': {
      const a = opts.negativeSlope ?? 0.01;
      return (x) => tf.leakyRelu(x, a);
    }
    case 'silu':
      return silu;
    case 'tanh':
      return (x) => tf.tanh(x);
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'identity':
      return (x) => x;
    default:
      throw new ValueError(
        `unknown activation '${String(name)}' (expected gelu, gelu_tanh, relu, leaky_relu, silu, tanh, sigmoid, identity)`,
      );
  }
}

/** GELU as a module: `approximate: 'none'` (erf, default) or `'tanh'`, as `torch.nn.GELU`. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(opts: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    this.approximate = opts.approximate ?? 'none';
    if (this.approximate !== 'none' && this.approximate !== 'tanh') {
      throw new ValueError(`GELU: approximate must be 'none' or 'tanh', got '${String(this.approximate)}'`);
    }
  }
  /** Element-wise GELU of `x` (any shape). */
  forward(x: tf.Tensor): tf.Tensor {
    return this.approximate === 'tanh' ? geluTanh(x) : gelu(x);
  }
}
