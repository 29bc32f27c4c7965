import { ShapeError, tf, ValueError } from '@astro/core';
import { initTensor, Module, rngFor, torchDefaultBias, torchDefaultWeight } from '@astro/core/nn';

/**
 * 2-D convolution (cross-correlation), stride 1, odd square kernel, zero 'same' padding, as
 * `torch.nn.Conv2d(in, out, k, padding=k//2)`: weight in PyTorch layout [out, in, k, k] (so state
 * dicts move to and from torch), bias [out]; input and output in tfjs's NHWC layout [B, H, W, C].
 * The forward pass is `tf.conv2d`; its gradients are written out (`tf.customGrad`) because the wasm
 * backend has no Conv2DBackpropFilter kernel: ∂L/∂x = conv2dTranspose(∂L/∂y, W) and
 * ∂L/∂W[u, v] = Σ_{b,h,w} x_pad[b, h+u, w+v, :]ᵀ ∂L/∂y[b, h, w, :] (one matMul per tap).
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
      throw new ValueError(`Conv2d: need positive integer channels and an odd kernel size, got (${inChannels}, ${outChannels}, ${kernelSize})`);
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
      throw new ShapeError(`Conv2d(${this.inChannels}, ${this.outChannels}, k=${this.kernelSize}): input must be [B, H, W, ${this.inChannels}], got [${x.shape}]`);
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
          const dx = tf.conv2dTranspose(g, ws, [B, H, W, C], 1, p);
          const xp = p ? tf.pad(xs, [[0, 0], [p, p], [p, p], [0, 0]]) : xs;
          const gy = tf.reshape(g, [B * H * W, this.outChannels]);
          const taps: tf.Tensor[] = [];
          for (let u = 0; u < k; u++) {
            for (let v = 0; v < k; v++) {
              const patch = tf.reshape(tf.slice(xp, [0, u, v, 0], [B, H, W, C]), [B * H * W, C]);
              taps.push(tf.matMul(patch, gy, true, false));
            }
          }
          return [dx, tf.reshape(tf.stack(taps), [k, k, C, this.outChannels])];
        },
      };
    });
    return tf.tidy(() => {
      const w = tf.transpose(this.weight, [2, 3, 1, 0]); // [k, k, in, out]
      return tf.add(conv(x, w), this.bias);
    });
  }
}
