/**
 * Supervised baseline in the style of Astroconformer (Pan, Ting & Yu 2024, MNRAS 528, 5890):
 * a strided convolutional stem over the raw standardised flux, non-causal transformer
 * blocks, mean pooling and a linear regression head, trained from scratch on labelled windows.
 */
import { Rng, SchemaError, tf, ValueError } from '@astro/core';
import { Conv1d, LayerNorm, Linear, Module, ModuleList, TransformerBlock } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, loadBundle, saveBundle, type BatchStream, type FitProgress, type ModelConfig } from '@astro/core/train';
import type { PatchWindows } from './tokens.js';

/** The `kind` written to an {@link AstroconformerBaseline}'s config.json. */
export const ASTROCONFORMER_BASELINE_KIND = '@astro/lightcurve-gpt/AstroconformerBaseline';
/** Schema version of a saved {@link AstroconformerBaseline} (config.json + model.safetensors). */
export const ASTROCONFORMER_BASELINE_SCHEMA = 1;

/** Labelled windows: one label per window of `windows`. */
export interface LabelledWindows {
  windows: PatchWindows;
  labels: ArrayLike<number>;
}

/** Options of {@link AstroconformerBaseline.fit}: give `epochs` (passes over the windows) or `steps`. */
export interface BaselineFitOptions {
  /** Passes over the windows (each `floor(windows / batchSize)` steps). */
  epochs?: number;
  /** Optimiser steps (overrides `epochs`). */
  steps?: number;
  /** Windows per step (default 16, at most the number of windows). */
  batchSize?: number;
  /** Peak learning rate of the warm-up + cosine schedule (default 1e-3). */
  lr?: number;
  /** Seed of the window order (core's `fit`). */
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void | Promise<void>;
}

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

/**
 * Conv stem + transformer + mean pool + linear head → one scalar label per window.
 * The house model surface: `await fit({ windows, labels }, { epochs })` through core's `fit`,
 * `await predict(windows)`, `save(dir)` / `AstroconformerBaseline.load(dir)` (core's `saveBundle`,
 * kind {@link ASTROCONFORMER_BASELINE_KIND}; the label standardisation is saved with the weights).
 */
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
   * Train on labelled windows (one label per window, standardised internally) by AdamW on the
   * mean squared error, through core's `fit` (each epoch a seeded permutation of the windows;
   * abort → `AbortError`, `FitProgress` events). Give `epochs` or `steps`. Returns the loss per step.
   * `fit(windows, labels, opts)` is the same call with the two parts apart.
   * @throws {ValueError} for a label count that differs from the windows', or bad `epochs`/`steps`.
   */
  async fit(data: LabelledWindows, opts: BaselineFitOptions): Promise<number[]>;
  async fit(w: PatchWindows, labels: ArrayLike<number>, opts: BaselineFitOptions): Promise<number[]>;
  async fit(a: LabelledWindows | PatchWindows, b: ArrayLike<number> | BaselineFitOptions, c?: BaselineFitOptions): Promise<number[]> {
    const labelled = 'labels' in a && 'windows' in a && typeof a.windows === 'object';
    const w = labelled ? (a as LabelledWindows).windows : (a as PatchWindows);
    const labels = labelled ? (a as LabelledWindows).labels : (b as ArrayLike<number>);
    const opts = (labelled ? b : c) as BaselineFitOptions;
    if (labels.length !== w.windows) throw new ValueError(`AstroconformerBaseline.fit: ${labels.length} labels for ${w.windows} windows`);
    const bs = Math.min(opts.batchSize ?? 16, w.windows);
    const perEpoch = Math.max(1, Math.floor(w.windows / bs));
    if (opts.steps === undefined && opts.epochs === undefined) throw new ValueError('AstroconformerBaseline.fit: give epochs or steps');
    if (opts.steps === undefined && !(Number.isInteger(opts.epochs) && opts.epochs! >= 1))
      throw new ValueError(`AstroconformerBaseline.fit: epochs must be an integer ≥ 1, got ${opts.epochs}`);
    const steps = opts.steps ?? opts.epochs! * perEpoch;
    if (!(Number.isInteger(steps) && steps >= 1))
      throw new ValueError(`AstroconformerBaseline.fit: steps must be a positive integer, got ${opts.steps}`);
    const L = w.numPatches * w.patchSize;
    let mu = 0;
    for (let i = 0; i < labels.length; i++) mu += labels[i]! / labels.length;
    let sd = 0;
    for (let i = 0; i < labels.length; i++) sd += (labels[i]! - mu) ** 2 / labels.length;
    sd = Math.sqrt(sd) || 1;
    this.labelMean = mu;
    this.labelStd = sd;
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

  /**
   * Save to `dir` as config.json (kind {@link ASTROCONFORMER_BASELINE_KIND}, the architecture,
   * the label standardisation as a `label` scaling) + model.safetensors, atomically (core's
   * `saveBundle`; Node).
   */
  async save(dir: string): Promise<void> {
    const config: ModelConfig = {
      kind: ASTROCONFORMER_BASELINE_KIND,
      schemaVersion: ASTROCONFORMER_BASELINE_SCHEMA,
      hyperParameters: { ...this.config },
      scalings: { label: { unit: 'label units', type: 'standard', mean: [this.labelMean], std: [this.labelStd] } },
    };
    await saveBundle(dir, { config, tensors: Object.fromEntries(this.namedParameters()) });
  }

  /**
   * Load a model saved by {@link AstroconformerBaseline.save}. A wrong `kind` or schema version
   * throws `SchemaError`; a truncated or corrupt weight file `FormatError`; a missing folder `FileError` (Node).
   */
  static async load(dir: string): Promise<AstroconformerBaseline> {
    const { config, tensors } = await loadBundle(dir, {
      kind: ASTROCONFORMER_BASELINE_KIND,
      schemaVersion: ASTROCONFORMER_BASELINE_SCHEMA,
    });
    try {
      const h = config.hyperParameters ?? {};
      for (const k of ['length', 'dim', 'stride', 'layers', 'heads'] as const) {
        if (typeof h[k] !== 'number' || !Number.isInteger(h[k]))
          throw new SchemaError(`config.json: hyperParameters.${k} must be an integer, got ${JSON.stringify(h[k])}`);
      }
      const label = config.scalings?.['label'];
      const mean = (label?.['mean'] as unknown[] | undefined)?.[0];
      const std = (label?.['std'] as unknown[] | undefined)?.[0];
      if (typeof mean !== 'number' || typeof std !== 'number')
        throw new SchemaError('config.json: scalings.label needs numeric mean[0] and std[0]');
      const m = new AstroconformerBaseline(h as unknown as BaselineConfig);
      try {
        m.loadStateDict(tensors);
      } catch (e) {
        m.dispose();
        throw e;
      }
      m.labelMean = mean;
      m.labelStd = std;
      return m;
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }
}
