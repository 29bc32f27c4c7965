import { ShapeError, tf, ValueError } from '@astro/core';
import { initTensor, Module, rngFor, torchDefaultBias, torchDefaultWeight } from '@astro/core/nn';

/**
 * 2-D convolution (cross-correlation), stride 1, odd square kernel, zero 'same' padding, as
 * `torch.nn.Conv2d(in, out, k, padding=k//2)`: weight in PyTorch layout [out, in, k, k] (so state
 * dicts move to and from torch), bias [out]; input and output in tfjs's NHWC layout [B, H, W, C].
 * The forward pass is `tf.conv2d`; its gradients are written out (`tf.customGrad`) as two more
 * `tf.conv2d` calls, because the wasm backend has no Conv2DBackpropFilter kernel (and its
 * Conv2DBackpropInput is ~10× slower than conv2d): ∂L/∂x = ∂L/∂y ⋆ W flipped (in/out swapped), and
 * ∂L/∂W[u, v, c, o] = Σ_{b,h,w} x_pad[b, h+u, w+v, c] ∂L/∂y[b, h, w, o], a correlation over (h, w) with b as the channel axis.
 * With `inputGradient: false` (a first layer, whose input is data) ∂L/∂x is not computed: the input is
 * treated as a constant (like `x.detach()` in PyTorch), which saves one convolution per backward pass.
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  /** Whether gradients flow back to the input (false: the input is treated as a constant). */
  readonly inputGradient: boolean;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  /**
   * `opts.inputGradient` (default true): false for a layer whose input is data, so the backward pass
   * skips ∂L/∂x (the input is then a constant for every gradient).
   * @throws {ValueError} unless the channel counts are positive integers and the kernel size odd.
   */
  constructor(inChannels: number, outChannels: number, kernelSize: number, seed?: number, opts: { inputGradient?: boolean } = {}) {
    super();
    if (![inChannels, outChannels, kernelSize].every((v) => Number.isInteger(v) && v > 0) || kernelSize % 2 !== 1) {
      throw new ValueError(
        `Conv2d: need positive integer channels and an odd kernel size, got (${inChannels}, ${outChannels}, ${kernelSize})`,
      );
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.inputGradient = opts.inputGradient ?? true;
    const rng = rngFor(seed);
    this.weight = this.param('weight', initTensor(torchDefaultWeight(), [outChannels, inChannels, kernelSize, kernelSize], rng), 'hidden');
    this.bias = this.param('bias', initTensor(torchDefaultBias(inChannels * kernelSize * kernelSize), [outChannels], rng), 'bias');
  }

  /** x [B, H, W, inChannels] → [B, H, W, outChannels]. @throws {ShapeError} on another input shape. */
  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4 || x.shape[3] !== this.inChannels) {
      throw new ShapeError(
        `Conv2d(${this.inChannels}, ${this.outChannels}, k=${this.kernelSize}): input must be [B, H, W, ${this.inChannels}], got [${x.shape}]`,
      );
    }
    const k = this.kernelSize;
    const p = (k - 1) / 2;
    // ∂L/∂W: a 'valid' correlation with the batch as the channel axis — x_pad as [C, H+2p, W+2p, B]
    // and ∂L/∂y as an [H, W, B, out] filter give [C, k, k, out], returned as [k, k, C, out]
    const filterGrad = (xs: tf.Tensor4D, g: tf.Tensor4D): tf.Tensor => {
      const xp = p
        ? tf.pad(xs, [
            [0, 0],
            [p, p],
            [p, p],
            [0, 0],
          ])
        : xs;
      const dw = tf.conv2d(tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D, tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid');
      return tf.transpose(dw, [1, 2, 0, 3]);
    };
    // ∂L/∂x: the correlation of ∂L/∂y with the kernel flipped in space and in/out swapped
    const inputGrad = (g: tf.Tensor4D, ws: tf.Tensor4D): tf.Tensor =>
      tf.conv2d(g, tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, p);
    const conv = tf.customGrad((...args: (tf.Tensor | ((s: tf.Tensor[]) => void))[]) => {
      const xi = args[0] as tf.Tensor4D;
      const wi = args[1] as tf.Tensor4D;
      const save = args[2] as (s: tf.Tensor[]) => void;
      save([xi, wi]);
      return {
        value: tf.conv2d(xi, wi, 1, p),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
          return [inputGrad(dy as tf.Tensor4D, ws), filterGrad(xs, dy as tf.Tensor4D)];
        },
      };
    });
    // the input as a constant: a custom gradient of the weight alone (x is kept for the backward pass by `save`)
    const convOfWeight = (xc: tf.Tensor4D) =>
      tf.customGrad((...args: (tf.Tensor | ((s: tf.Tensor[]) => void))[]) => {
        const wi = args[0] as tf.Tensor4D;
        const save = args[1] as (s: tf.Tensor[]) => void;
        save([xc]);
        return {
          value: tf.conv2d(xc, wi, 1, p),
          gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [filterGrad(saved[0] as tf.Tensor4D, dy as tf.Tensor4D)],
        };
      });
    return tf.tidy(() => {
      const w = tf.transpose(this.weight, [2, 3, 1, 0]); // [k, k, in, out]
      return tf.add(this.inputGradient ? conv(x, w) : convOfWeight(x as tf.Tensor4D)(w), this.bias);
    });
  }
}
