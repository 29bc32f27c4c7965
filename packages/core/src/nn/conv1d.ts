import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, ValueError } from '../errors/index.js';
import { Module } from './module.js';
import { type Initializer, initTensor, rngFor, torchDefaultBias, torchDefaultWeight } from './init.js';
import { expectPositiveInt, expectShape } from './shape.js';

/** Options of {@link Conv1d}. */
export interface Conv1dOptions {
  /** Step between output positions (default 1). */
  stride?: number;
  /** Zeros added at both ends (default 0), or `'same'` (stride 1; extra pad on the right, as PyTorch) / `'valid'`. */
  padding?: number | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
  /** Split channels into this many independent groups (default 1; = inChannels is depthwise). */
  groups?: number;
  /** Add a bias (default true). */
  bias?: boolean;
  /** Seed of the initialisation. */
  seed?: number;
  /** Weight initialiser (default PyTorch's: U(±1/√(in/groups·k))). */
  weightInit?: Initializer;
}

/**
 * 1-D convolution (cross-correlation) in PyTorch layout, as `torch.nn.Conv1d`: input
 * [B, inChannels, L], weight [outChannels, inChannels/groups, kernelSize], bias [outChannels];
 * output [B, outChannels, ⌊(L + 2·pad − dilation·(k − 1) − 1)/stride⌋ + 1].
 */
export class Conv1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly dilation: number;
  readonly groups: number;
  /** Zeros added on the left and on the right. */
  readonly pad: readonly [number, number];
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: Conv1dOptions = {}) {
    super();
    const layer = 'Conv1d';
    expectPositiveInt(layer, 'inChannels', inChannels);
    expectPositiveInt(layer, 'outChannels', outChannels);
    expectPositiveInt(layer, 'kernelSize', kernelSize);
    this.stride = opts.stride ?? 1;
    this.dilation = opts.dilation ?? 1;
    this.groups = opts.groups ?? 1;
    expectPositiveInt(layer, 'stride', this.stride);
    expectPositiveInt(layer, 'dilation', this.dilation);
    expectPositiveInt(layer, 'groups', this.groups);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new ValueError(
        `Conv1d: inChannels ${inChannels} and outChannels ${outChannels} must both be divisible by groups ${this.groups}`,
      );
    }
    const padding = opts.padding ?? 0;
    if (padding === 'same') {
      if (this.stride !== 1) throw new ValueError("Conv1d: padding 'same' needs stride 1 (as PyTorch)");
      const total = this.dilation * (kernelSize - 1);
      this.pad = [Math.floor(total / 2), total - Math.floor(total / 2)];
    } else if (padding === 'valid') {
      this.pad = [0, 0];
    } else {
      if (!Number.isInteger(padding) || padding < 0) throw new ValueError(`Conv1d: padding must be an integer ≥ 0, got ${padding}`);
      this.pad = [padding, padding];
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    const rng = rngFor(opts.seed);
    const shape = [outChannels, inChannels / this.groups, kernelSize];
    this.weight = this.param('weight', initTensor(opts.weightInit ?? torchDefaultWeight(), shape, rng), 'hidden');
    this.bias =
      (opts.bias ?? true)
        ? this.param('bias', initTensor(torchDefaultBias((inChannels / this.groups) * kernelSize), [outChannels], rng), 'bias')
        : null;
  }

  /** Output length for an input of length L. */
  outputLength(L: number): number {
    return Math.floor((L + this.pad[0] + this.pad[1] - this.dilation * (this.kernelSize - 1) - 1) / this.stride) + 1;
  }

  /** x [B, inChannels, L] → [B, outChannels, L_out]. */
  forward(x: tf.Tensor): tf.Tensor {
    const name = `Conv1d(${this.inChannels}, ${this.outChannels}, k=${this.kernelSize})`;
    expectShape(name, 'input', x, [null, this.inChannels, null]);
    const L = x.shape[2]!;
    const Lout = this.outputLength(L);
    if (Lout < 1) {
      throw new ShapeError(
        `${name}: input length ${L} is shorter than the dilated kernel ${this.dilation * (this.kernelSize - 1) + 1} (padding ${this.pad.join('+')})`,
      );
    }
    return tf.tidy(() => {
      let h = tf.transpose(x, [0, 2, 1]) as tf.Tensor3D; // [B, L, C]
      if (this.pad[0] || this.pad[1]) h = tf.pad(h, [[0, 0], this.pad as [number, number], [0, 0]]);
      const w = tf.transpose(this.weight, [2, 1, 0]) as tf.Tensor3D; // [k, C/g, out]
      // tfjs has no gradient for dilated conv2D and wasm has no Conv2DBackpropFilter kernel,
      // so those cases run as im2col + one matMul (differentiable everywhere).
      const native = this.dilation === 1 && tf.getBackend() !== 'wasm';
      const conv = (inp: tf.Tensor3D, filt: tf.Tensor3D): tf.Tensor3D =>
        native ? tf.conv1d(inp, filt, this.stride, 'valid', 'NWC', 1) : im2colConv(inp, filt, this.stride, this.dilation, Lout);
      let y: tf.Tensor3D;
      if (this.groups === 1) {
        y = conv(h, w);
      } else {
        const gin = this.inChannels / this.groups;
        const gout = this.outChannels / this.groups;
        const parts: tf.Tensor3D[] = [];
        for (let g = 0; g < this.groups; g++) {
          const hg = tf.slice(h, [0, 0, g * gin], [-1, -1, gin]);
          const wg = tf.slice(w, [0, 0, g * gout], [-1, -1, gout]);
          parts.push(conv(hg, wg));
        }
        y = tf.concat(parts, 2);
      }
      if (this.bias) y = tf.add(y, this.bias);
      return tf.transpose(y, [0, 2, 1]);
    });
  }
}

/** Every `stride`-th position of y [B, L, C] along L, keeping `n` (differentiable: pad, reshape, slice). */
function subsample(y: tf.Tensor3D, stride: number, n: number): tf.Tensor3D {
  const [B, L, C] = y.shape;
  const need = n * stride;
  const fitted =
    L >= need
      ? tf.slice(y, [0, 0, 0], [B, need, C])
      : tf.pad(y, [
          [0, 0],
          [0, need - L],
          [0, 0],
        ]);
  return tf.reshape(tf.slice(tf.reshape(fitted, [B, n, stride, C]), [0, 0, 0, 0], [B, n, 1, C]), [B, n, C]);
}

/** Dilated, strided valid convolution of x [B, L, C] with w [k, C, out] as one matMul over gathered taps. */
function im2colConv(x: tf.Tensor3D, w: tf.Tensor3D, stride: number, dilation: number, n: number): tf.Tensor3D {
  const [B, , C] = x.shape;
  const [k, , out] = w.shape;
  const span = (n - 1) * stride + 1;
  const taps: tf.Tensor3D[] = [];
  for (let j = 0; j < k; j++) taps.push(subsample(tf.slice(x, [0, j * dilation, 0], [B, span, C]), stride, n));
  const cols = tf.reshape(tf.stack(taps, 2), [B * n, k * C]);
  return tf.reshape(tf.matMul(cols, tf.reshape(w, [k * C, out])), [B, n, out]);
}
