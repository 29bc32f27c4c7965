import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { wasmMatMulTakesTransposedA } from '../backend/wasm-batch-matmul.js';
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
 * x·Wᵀ + b for x [N, in], W [out, in] → [N, out]. One fused kernel on cpu and webgpu. On wasm,
 * tfjs 4.22 runs only untransposed 2-D matMuls through XNNPACK (≈15× faster than its
 * transposed or batched path), and its FusedMatMul with transposeB adds the wrong bias to rows
 * after the first; there the forward and both gradients are written as untransposed matMuls
 * with explicit (small) transposes.
 */
export function affine(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor | null): tf.Tensor2D {
  if (tf.getBackend() === 'wasm') return b ? wasmAffineBias(x, w, b) : wasmAffine(x, w);
  return tf.fused.matMul({ a: x, b: w, transposeB: true, ...(b ? { bias: b } : {}) }) as tf.Tensor2D;
}

/** dW = dyᵀ·x computed as an untransposed matMul, transposing whichever side is smaller. */
function weightGrad(dy: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor2D {
  // core's wasm matMul kernel takes transposed-A products itself (no separate transpose kernel)
  if (wasmMatMulTakesTransposedA()) return tf.matMul(dy, x, true, false);
  const [N, outF] = dy.shape;
  const inF = x.shape[1];
  if (inF * (N + outF) <= outF * (N + inF)) return tf.transpose(tf.matMul(tf.transpose(x), dy)) as tf.Tensor2D;
  return tf.matMul(tf.transpose(dy), x);
}

const wasmAffine = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor2D;
  const w = args[1] as tf.Tensor2D;
  const save = args[2] as tf.GradSaveFunc;
  save([x, w]);
  return {
    value: tf.matMul(x, tf.transpose(w)),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, ws), weightGrad(dy, xs)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

const wasmAffineBias = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor2D;
  const w = args[1] as tf.Tensor2D;
  const b = args[2] as tf.Tensor1D;
  const save = args[3] as tf.GradSaveFunc;
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, tf.transpose(w)), b) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const db = tf.reshape(tf.matMul(tf.ones([1, dy.shape[0]]), dy), [dy.shape[1]]);
      return [tf.matMul(dy, ws), weightGrad(dy, xs), db];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor) => tf.Tensor2D;
