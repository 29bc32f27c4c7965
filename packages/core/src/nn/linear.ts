import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import type { ParamRole } from './roles.js';
import { type Initializer, initTensor, rngFor, torchDefaultBias, torchDefaultWeight } from './init.js';
import { expectLastDim, expectPositiveInt } from './shape.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Add a bias (default true). */
  bias?: boolean;
  /** Seed of the initialisation; without it the global stream ({@link manualSeed}) is used. */
  seed?: number;
  /** Weight initialiser (default PyTorch's: U(±1/√in)). */
  weightInit?: Initializer;
  /** Bias initialiser (default PyTorch's: U(±1/√in)). */
  biasInit?: Initializer;
  /** muP role of the weight (default `'hidden'`; `'input'` for a first layer, `'output'` for a readout). */
  role?: Extract<ParamRole, 'input' | 'hidden' | 'output'>;
}

/**
 * Affine map y = x·Wᵀ + b, as `torch.nn.Linear`: weight [out, in], bias [out];
 * input [..., in] → output [..., out]. One fused matMul+bias kernel.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Weight, shape [out, in]. */
  readonly weight: tf.Variable;
  /** Bias, shape [out], or null. */
  readonly bias: tf.Variable | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    expectPositiveInt('Linear', 'inFeatures', inFeatures);
    expectPositiveInt('Linear', 'outFeatures', outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const rng = rngFor(opts.seed);
    this.weight = this.param(
      'weight',
      initTensor(opts.weightInit ?? torchDefaultWeight(), [outFeatures, inFeatures], rng),
      opts.role ?? 'hidden',
    );
    this.bias =
      (opts.bias ?? true)
        ? this.param('bias', initTensor(opts.biasInit ?? torchDefaultBias(inFeatures), [outFeatures], rng), 'bias')
        : null;
  }

  /** x [..., in] → [..., out]. */
  forward(x: tf.Tensor): tf.Tensor {
    expectLastDim(this.describe(), 'input', x, this.inFeatures);
    return tf.tidy(() => {
      const lead = x.shape.slice(0, -1);
      const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, this.inFeatures]);
      const y = affine(x2 as tf.Tensor2D, this.weight as tf.Tensor2D, this.bias);
      return x.rank === 2 ? y : tf.reshape(y, [...lead, this.outFeatures]);
    });
  }

  /** `Linear(in=…, out=…)`, used in error messages. */
  describe(): string {
    return `Linear(in=${this.inFeatures}, out=${this.outFeatures})`;
  }
}

/**
 * x·Wᵀ + b for x [N, in], W [out, in]. One fused kernel, except on wasm where tfjs 4.22's
 * FusedMatMul with transposeB and a bias adds the wrong bias to rows after the first
 * (checked by test/nn/torch-basic.test.ts), so there it is matMul then add.
 */
export function affine(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor | null): tf.Tensor2D {
  if (b && tf.getBackend() === 'wasm') return tf.add(tf.matMul(x, w, false, true), b) as tf.Tensor2D;
  return tf.fused.matMul({ a: x, b: w, transposeB: true, ...(b ? { bias: b } : {}) }) as tf.Tensor2D;
}
