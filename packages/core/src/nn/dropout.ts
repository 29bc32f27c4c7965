import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/index.js';
import { Module } from './module.js';
import { Rng } from './random.js';
import { rngFor } from './init.js';

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Probability of zeroing an element, in [0, 1) (default 0.5, as PyTorch). */
  p?: number;
  /** Seed of the mask stream; each call draws a fresh mask from it. */
  seed?: number;
}

/**
 * Inverted dropout (Srivastava et al. 2014), as `torch.nn.Dropout`: in training mode each
 * element is zeroed with probability p and the rest are scaled by 1/(1 − p); in eval mode
 * (or with p = 0) it is the identity. Masks come from a seeded stream, so a run is
 * reproducible on every backend.
 */
export class Dropout extends Module {
  readonly p: number;
  private rng: Rng;

  constructor(opts: DropoutOptions = {}) {
    super();
    const p = opts.p ?? 0.5;
    if (!(p >= 0 && p < 1)) throw new ValueError(`Dropout: p must be in [0, 1), got ${p}`);
    this.p = p;
    this.rng = rngFor(opts.seed);
  }

  /** Restart the mask stream from `seed`. */
  reseed(seed: number): void {
    this.rng = new Rng(seed);
  }

  /** x (any shape) → same shape. */
  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x;
    const keep = 1 / (1 - this.p);
    const mask = new Float32Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = this.rng.uniform() >= this.p ? keep : 0;
    return tf.tidy(() => tf.mul(x, tf.tensor(mask, x.shape, 'float32')));
  }
}
