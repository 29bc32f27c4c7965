/**
 * Supervised baseline in the style of Astroconformer (Pan, Ting & Yu 2024, MNRAS 528, 5890):
 * a strided convolutional stem over the raw standardised flux, non-causal transformer
 * blocks, mean pooling and a linear regression head, trained from scratch on labelled windows.
 */
import { Rng, tf, ValueError } from '@astro/core';
import { Conv1d, LayerNorm, Linear, Module, ModuleList, TransformerBlock } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, type BatchStream, type FitProgress } from '@astro/core/train';
import type { PatchWindows } from './tokens.js';

/** Size of an {@link AstroconformerBaseline}. */
export interface BaselineConfig {
  /** Cadences per input window (numPatches × patchSize of the windows it is trained on). */
  length: number;
  /** Width. */
  dim: number;
  /** Convolution stride (= kernel size) of the stem; tokens = length / stride. */
  stride: number;
  /** Transformer blocks. */
  layers: number;
  /** Attention heads. */
  heads: number;
  seed?: number;
}

/** Conv stem + transformer + mean pool + linear head → one scalar label per window. */
export class AstroconformerBaseline extends Module {
  readonly config: Required<BaselineConfig>;
  private readonly stem: Conv1d;
  private readonly blocks: ModuleList<TransformerBlock>;
  private readonly norm: LayerNorm;
  private readonly out: Linear;

  constructor(config: BaselineConfig) {
    super();
    const c = { seed: 0, ...config };
    if (c.length % c.stride !== 0)
      throw new ValueError(`AstroconformerBaseline: length ${c.length} is not a multiple of stride ${c.stride}`);
    this.config = c;
    // Each layer's initialisation from its own named stream of the model's seed.
    const init = new Rng(c.seed).fork('init');
    const seedOf = (name: string, i?: number): number => (i === undefined ? init.fork(name) : init.fork(name).fork(String(i))).nextUint32();
    this.stem = this.child('stem', new Conv1d(1, c.dim, c.stride, { stride: c.stride, seed: seedOf('stem') }));
    this.blocks = this.child(
      'blocks',
      new ModuleList(Array.from({ length: c.layers }, (_, i) => new TransformerBlock(c.dim, c.heads, { seed: seedOf('blocks', i) }))),
    );
    this.norm = this.child('norm', new LayerNorm(c.dim));
    this.out = this.child('out', new Linear(c.dim, 1, { seed: seedOf('out') }));
  }

  /** Predict one value per window: flux [B, length] → [B]. */
  forward(flux: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [B, L] = flux.shape as [number, number];
      if (L !== this.config.length)
        throw new ValueError(`AstroconformerBaseline: windows of ${L} cadences, built for ${this.config.length}`);
      let h = tf.transpose(this.stem.forward(tf.reshape(flux, [B, 1, L])), [0, 2, 1]);
      for (let i = 0; i < this.blocks.length; i++) h = this.blocks.at(i).forward(h);
      return tf.reshape(this.out.forward(tf.mean(this.norm.forward(h), 1)), [B]);
    });
  }

  /**
   * Train on windows `w` with one label per window (`labels`, standardised internally) by
   * AdamW on the mean squared error for `steps` steps of `batchSize` windows, through core's
   * `fit` (each epoch a seeded permutation of the windows; abort, progress). Returns the loss per step.
   */
  async fit(
    w: PatchWindows,
    labels: ArrayLike<number>,
    opts: {
      steps: number;
      batchSize?: number;
      lr?: number;
      seed?: number;
      signal?: AbortSignal;
      onProgress?: (p: FitProgress) => void | Promise<void>;
    },
  ): Promise<number[]> {
    if (labels.length !== w.windows) throw new ValueError(`AstroconformerBaseline.fit: ${labels.length} labels for ${w.windows} windows`);
    if (!(Number.isInteger(opts.steps) && opts.steps >= 1))
      throw new ValueError(`AstroconformerBaseline.fit: steps must be a positive integer, got ${opts.steps}`);
    const L = w.numPatches * w.patchSize;
    let mu = 0;
    for (let i = 0; i < labels.length; i++) mu += labels[i]! / labels.length;
    let sd = 0;
    for (let i = 0; i < labels.length; i++) sd += (labels[i]! - mu) ** 2 / labels.length;
    sd = Math.sqrt(sd) || 1;
    this.labelMean = mu;
    this.labelStd = sd;
    const bs = Math.min(opts.batchSize ?? 16, w.windows);
    const perEpoch = Math.max(1, Math.floor(w.windows / bs));
    const steps = opts.steps;
    const stream: BatchStream<{ x: tf.Tensor2D; y: tf.Tensor1D }> = {
      numBatches: perEpoch,
      *batches(epoch: number, rng: Rng) {
        const order = rng.permutation(w.windows);
        const n = Math.min(perEpoch, steps - epoch * perEpoch);
        for (let b = 0; b < n; b++) {
          const x = new Float32Array(bs * L);
          const y = new Float32Array(bs);
          for (let i = 0; i < bs; i++) {
            const k = order[b * bs + i]!;
            x.set(w.flux.subarray(k * L, (k + 1) * L), i * L);
            y[i] = (labels[k]! - mu) / sd;
          }
          yield { x: tf.tensor2d(x, [bs, L]), y: tf.tensor1d(y) };
        }
      },
    };
    const optimizer = new AdamW(this.namedParameters(), {
      lr: warmupCosine({ peakLr: opts.lr ?? 1e-3, warmupSteps: Math.max(1, Math.floor(steps / 10)), totalSteps: steps }),
      weightDecay: 0.01,
      clipGradNorm: 1,
    });
    const losses: number[] = [];
    try {
      await fit(this, stream, {
        epochs: Math.ceil(steps / perEpoch),
        optimizer,
        seed: opts.seed ?? 0,
        progressBar: false,
        step: (b) => tf.tidy(() => tf.mean(tf.squaredDifference(this.forward(b.x), b.y)) as tf.Scalar),
        onProgress: async (p) => {
          if (p.phase === 'step') losses.push(p.loss);
          await opts.onProgress?.(p);
        },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } finally {
      optimizer.dispose();
    }
    return losses;
  }

  private labelMean = 0;
  private labelStd = 1;

  /** Predicted labels (original units) for every window of `w`; reads back asynchronously (any backend). */
  async predict(w: PatchWindows): Promise<Float64Array> {
    const L = w.numPatches * w.patchSize;
    const out = new Float64Array(w.windows);
    for (let b = 0; b < w.windows; b += 32) {
      const n = Math.min(32, w.windows - b);
      const y = tf.tidy(() => this.forward(tf.tensor2d(w.flux.subarray(b * L, (b + n) * L), [n, L])));
      const v = await y.data();
      y.dispose();
      for (let i = 0; i < n; i++) out[b + i] = v[i]! * this.labelStd + this.labelMean;
    }
    return out;
  }
}
