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
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  /** @throws {ValueError} unless the channel counts are positive integers and the kernel size odd. */
  constructor(inChannels: number, outChannels: number, kernelSize: number, seed?: number) {
    super();
    if (![inChannels, outChannels, kernelSize].every((v) => Number.isInteger(v) && v > 0) || kernelSize % 2 !== 1) {
      throw new ValueError(
        `Conv2d: need positive integer channels and an odd kernel size, got (${inChannels}, ${outChannels}, ${kernelSize})`,
      );
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
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
    const conv = tf.customGrad((...args: (tf.Tensor | ((s: tf.Tensor[]) => void))[]) => {
      const xi = args[0] as tf.Tensor4D;
      const wi = args[1] as tf.Tensor4D;
      const save = args[2] as (s: tf.Tensor[]) => void;
      save([xi, wi]);
      return {
        value: tf.conv2d(xi, wi, 1, p),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const g = dy as tf.Tensor4D;
          const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
          const [B, H, W, C] = xs.shape;
          // ∂L/∂x: the correlation of ∂L/∂y with the kernel flipped in space and in/out swapped
          const dx = tf.conv2d(g, tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, p);
          // ∂L/∂W: a 'valid' correlation with the batch as the channel axis — x_pad as [C, H+2p, W+2p, B]
          // and ∂L/∂y as an [H, W, B, out] filter give [C, k, k, out]
          const xp = p
            ? tf.pad(xs, [
                [0, 0],
                [p, p],
                [p, p],
                [0, 0],
              ])
            : xs;
          const dw = tf.conv2d(tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D, tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid');
          return [dx, tf.transpose(dw, [1, 2, 0, 3])];
        },
      };
    });
    return tf.tidy(() => {
      const w = tf.transpose(this.weight, [2, 3, 1, 0]); // [k, k, in, out]
      return tf.add(conv(x, w), this.bias);
    });
  }
}
