import { Rng, ShapeError, tf } from '@astro/core';
import { gelu, Linear, MLP, Module } from '@astro/core/nn';
import { N_FEATURES } from '../catalogue/features.js';
import { Conv2d } from './conv2d.js';

/** Hyper-parameters of the CLAP image encoder (the redshift-bin and loss fields mean what they do in `EncoderConfig`). */
export interface ImageEncoderConfig {
  /** Image bands (channels; default 5, ugriz). */
  bands: number;
  /** Output channels of the three 3 × 3 convolutions (default [16, 32, 32]). */
  channels: [number, number, number];
  /** 1 = concatenate the 5 standardised photometric features to the pooled image features (default 1), 0 = images only. */
  useMagnitudes: 0 | 1;
  /** Hidden width of the MLP after pooling (default 64). */
  hidden: number;
  /** Latent dimension (default 8); the latent is L2-normalised. */
  latentDim: number;
  nBins: number;
  zMin: number;
  zMax: number;
  temperature: number;
  ceWeight: number;
  contrastiveWeight: number;
}

/** Default image-encoder hyper-parameters. */
export const DEFAULT_IMAGE_ENCODER: ImageEncoderConfig = {
  bands: 5,
  channels: [16, 32, 32],
  useMagnitudes: 1,
  hidden: 64,
  latentDim: 8,
  nBins: 32,
  zMin: 0,
  zMax: 0.8,
  temperature: 0.1,
  ceWeight: 1,
  contrastiveWeight: 1,
};

/**
 * The CLAP CNN encoder (CLAP I, Lin et al. 2024, A&A 691, A331, image branch, scaled down):
 * conv 3×3 → GELU → 2×2 average pool, twice; conv 3×3 → GELU → global average pool; optionally the
 * photometric features appended; an MLP to an L2-normalised latent (the same latent space contract
 * as `ClapEncoder`, so adaptive KNN, recalibration and the ensemble run on it unchanged); and a
 * linear head giving logits over redshift bins. Input images [B, S, S, bands] (NHWC, S divisible by 4),
 * preprocessed by `prepareCutouts`. State-dict names: `conv1.weight` … `body.layers.<l>.weight`, `head.weight`.
 */
export class ImageEncoder extends Module {
  readonly config: ImageEncoderConfig;
  readonly conv1: Conv2d;
  readonly conv2: Conv2d;
  readonly conv3: Conv2d;
  readonly body: MLP;
  readonly head: Linear;
  constructor(config: ImageEncoderConfig, seed: number) {
    super();
    this.config = config;
    const [c1, c2, c3] = config.channels;
    const rng = new Rng(seed);
    const init = (name: string): number => rng.fork(name).nextUint32();
    // the images are data: conv1 skips ∂L/∂images in the backward pass
    this.conv1 = this.child('conv1', new Conv2d(config.bands, c1, 3, init('conv1'), { inputGradient: false }));
    this.conv2 = this.child('conv2', new Conv2d(c1, c2, 3, init('conv2')));
    this.conv3 = this.child('conv3', new Conv2d(c2, c3, 3, init('conv3')));
    const inDim = c3 + (config.useMagnitudes ? N_FEATURES : 0);
    this.body = this.child('body', new MLP({ sizes: [inDim, config.hidden, config.latentDim], activation: 'gelu', seed: init('body') }));
    this.head = this.child('head', new Linear(config.latentDim, config.nBins, { seed: init('head') }));
  }

  /**
   * Latent vectors [B, latentDim] (unit norm) from images [B, S, S, bands] and, with
   * `useMagnitudes`, standardised features [B, 5].
   * @throws {ShapeError} on wrong shapes or missing/unexpected features.
   */
  forward(images: tf.Tensor, features?: tf.Tensor): tf.Tensor {
    const { bands, useMagnitudes } = this.config;
    if (images.rank !== 4 || images.shape[3] !== bands || images.shape[1]! % 4 !== 0 || images.shape[2]! % 4 !== 0) {
      throw new ShapeError(`ImageEncoder: images must be [B, S, S, ${bands}] with S divisible by 4, got [${images.shape}]`);
    }
    if (useMagnitudes && (!features || features.rank !== 2 || features.shape[0] !== images.shape[0] || features.shape[1] !== N_FEATURES)) {
      throw new ShapeError(
        `ImageEncoder: with useMagnitudes the features must be [${images.shape[0]}, ${N_FEATURES}], got ${features ? `[${features.shape}]` : 'none'}`,
      );
    }
    if (!useMagnitudes && features) throw new ShapeError('ImageEncoder: features given to an encoder built with useMagnitudes: 0');
    return tf.tidy(() => {
      let h = avgPool2x2(gelu(this.conv1.forward(images)));
      h = avgPool2x2(gelu(this.conv2.forward(h)));
      let f = tf.mean(gelu(this.conv3.forward(h)), [1, 2]);
      if (features) f = tf.concat([f, features], 1);
      const z = this.body.forward(f);
      return tf.div(z, tf.add(tf.norm(z, 'euclidean', 1, true), 1e-8));
    });
  }
}

/**
 * 2 × 2 average pooling with stride 2 of x [B, H, W, C] (H, W even) → [B, H/2, W/2, C], as
 * `tf.avgPool(x, 2, 2, 'valid')` but written as a reshape to [B, H/2, 2, W/2, 2, C] and a mean over
 * the two window axes: its gradient is then a broadcast, where tfjs-backend-wasm's AvgPoolGrad was
 * 16 % of a training step of the image CNN (519 of 3 200 ms, `bench/profile-cnn.ts`).
 */
export function avgPool2x2(x: tf.Tensor): tf.Tensor4D {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  return tf.tidy(() => tf.mean(tf.reshape(x, [b, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D);
}
