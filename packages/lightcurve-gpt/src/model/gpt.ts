/**
 * LightCurveGPT: a GPT-2-style decoder over light-curve patches (Pan, Ting & Yu 2024,
 * "Astroconformer"-comparison study of scaling in stellar light-curve foundation models):
 * patch tokens (patchSize fluxes + time) embedded by an MLP, learned or rotary positions,
 * causal pre-norm transformer blocks, final LayerNorm, and a linear head predicting the next patch.
 */
import { Rng, tf, ValueError } from '@astro/core';
import { Embedding, LayerNorm, Linear, MLP, Module, ModuleList, TransformerBlock } from '@astro/core/nn';
import { loadModel, saveModel } from '@astro/core/train';
import { pretrain, type PretrainOptions } from './pretrain.js';
import { rotaryBlockForward, rotaryTables } from './rope.js';
import type { PatchWindows } from './tokens.js';

/** `kind` written into a saved LightCurveGPT's config.json. */
export const LIGHTCURVE_GPT_KIND = '@astro/lightcurve-gpt/LightCurveGPT';
/** Schema version of the saved config. */
export const LIGHTCURVE_GPT_SCHEMA = 1;

/** Size and shape of a {@link LightCurveGPT}. */
export interface LightCurveGPTConfig {
  /** Cadences per patch (token). */
  patchSize: number;
  /** Maximum context length in patches. */
  maxPatches: number;
  /** Model width. */
  dim: number;
  /** Transformer blocks. */
  layers: number;
  /** Attention heads (divides dim). */
  heads: number;
  /** MLP ratio in each block (default 4). */
  mlpRatio?: number;
  /**
   * Position information: `'learned'` (a trained table added to the tokens, GPT-2; default)
   * or `'rotary'` (RoPE on queries and keys, Su et al. 2021; no position parameters,
   * dim/heads must be even).
   */
  positions?: 'learned' | 'rotary';
  /** RoPE base: frequencies θ_i = base^(−2i/d_head) (default 10000). */
  ropeBase?: number;
  /** Initialisation seed. */
  seed?: number;
}

/** A causal transformer over light-curve patches; `forward` returns hidden states, `predictNext` the next patches. */
export class LightCurveGPT extends Module {
  readonly config: Required<LightCurveGPTConfig>;
  private readonly embed: MLP;
  private readonly pos: Embedding | null;
  private readonly blocks: ModuleList<TransformerBlock>;
  private readonly normF: LayerNorm;
  private readonly head: Linear;

  constructor(config: LightCurveGPTConfig) {
    super();
    const c = { mlpRatio: 4, seed: 0, positions: 'learned' as const, ropeBase: 10000, ...config };
    for (const k of ['patchSize', 'maxPatches', 'dim', 'layers', 'heads'] as const) {
      if (!(Number.isInteger(c[k]) && c[k] >= 1)) throw new ValueError(`LightCurveGPT: ${k} must be a positive integer, got ${c[k]}`);
    }
    if (c.dim % c.heads !== 0) throw new ValueError(`LightCurveGPT: dim ${c.dim} is not divisible by heads ${c.heads}`);
    if (c.positions !== 'learned' && c.positions !== 'rotary')
      throw new ValueError(`LightCurveGPT: positions must be 'learned' or 'rotary', got '${String(c.positions)}'`);
    if (c.positions === 'rotary' && (c.dim / c.heads) % 2 !== 0)
      throw new ValueError(
        `LightCurveGPT: rotary positions need an even head dimension, got dim ${c.dim} / heads ${c.heads} = ${c.dim / c.heads}`,
      );
    if (!(Number.isFinite(c.ropeBase) && c.ropeBase > 1)) throw new ValueError(`LightCurveGPT: ropeBase must be > 1, got ${c.ropeBase}`);
    this.config = c;
    // Each layer's initialisation from its own named stream of the model's seed.
    const init = new Rng(c.seed).fork('init');
    const seedOf = (name: string, i?: number): number => (i === undefined ? init.fork(name) : init.fork(name).fork(String(i))).nextUint32();
    this.embed = this.child('embed', new MLP({ sizes: [c.patchSize + 1, c.dim, c.dim], seed: seedOf('embed') }));
    this.pos = c.positions === 'learned' ? this.child('pos', new Embedding(c.maxPatches, c.dim, { seed: seedOf('pos') })) : null;
    this.blocks = this.child(
      'blocks',
      new ModuleList(
        Array.from(
          { length: c.layers },
          (_, i) => new TransformerBlock(c.dim, c.heads, { mlpRatio: c.mlpRatio, seed: seedOf('blocks', i) }),
        ),
      ),
    );
    this.normF = this.child('norm_f', new LayerNorm(c.dim));
    this.head = this.child('head', new Linear(c.dim, c.patchSize, { seed: seedOf('head') }));
  }

  /** Hidden states [B, T, dim] after the final LayerNorm, for flux [B, T, patchSize] and patch times [B, T] (days). */
  forward(flux: tf.Tensor, timeDays: tf.Tensor): tf.Tensor {
    const [B, T, P] = flux.shape as [number, number, number];
    if (flux.rank !== 3 || P !== this.config.patchSize)
      throw new ValueError(`LightCurveGPT: flux must be [B, T, ${this.config.patchSize}], got [${flux.shape.join(', ')}]`);
    if (T > this.config.maxPatches) throw new ValueError(`LightCurveGPT: ${T} patches exceed the context of ${this.config.maxPatches}`);
    return tf.tidy(() => {
      // Learned positions are the first T rows of the position table (a slice, so gradients reach only those rows).
      // Time enters as a slowly varying feature (days / 30) next to the fluxes.
      const tok = tf.concat([flux, tf.reshape(tf.div(timeDays, 30), [B, T, 1])], 2);
      let h = this.embed.forward(tok);
      if (this.pos) {
        h = tf.add(h, tf.expandDims(tf.slice(this.pos.weight, [0, 0], [T, this.config.dim]), 0));
        for (let i = 0; i < this.blocks.length; i++) h = this.blocks.at(i).forward(h, { causal: true });
      } else {
        // Rotary: positions enter only through the rotation of queries and keys in every block.
        const rope = rotaryTables(T, this.config.dim / this.config.heads, this.config.ropeBase);
        for (let i = 0; i < this.blocks.length; i++) h = rotaryBlockForward(this.blocks.at(i), h, rope);
      }
      return this.normF.forward(h);
    });
  }

  /** Predicted next patch for every position: [B, T, patchSize] (position t predicts patch t+1). */
  predictNext(flux: tf.Tensor, timeDays: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.head.forward(this.forward(flux, timeDays)));
  }

  /**
   * Pre-train on next-patch prediction (see {@link pretrain}: core's `fit`, AdamW, warm-up
   * cosine, clipping, seeded order, `onProgress`, `signal`). Returns the per-step losses.
   */
  async fit(windows: PatchWindows, opts: PretrainOptions): Promise<number[]> {
    return pretrain(this, windows, opts);
  }

  /**
   * Next-patch predictions for every window and position, Float32Array [windows × T × patchSize]
   * in the windows' standardised flux units (position t predicts patch t + 1), computed in
   * batches and read back asynchronously (every backend). Throws `ValueError` for windows of
   * another patch size or longer than the context.
   */
  async predict(windows: PatchWindows, batchSize = 32): Promise<Float32Array> {
    const { numPatches: T, patchSize: P } = windows;
    if (P !== this.config.patchSize)
      throw new ValueError(`LightCurveGPT.predict: windows have patchSize ${P}, the model ${this.config.patchSize}`);
    const out = new Float32Array(windows.windows * T * P);
    for (let b = 0; b < windows.windows; b += batchSize) {
      const n = Math.min(batchSize, windows.windows - b);
      const y = tf.tidy(() =>
        this.predictNext(
          tf.tensor3d(windows.flux.subarray(b * T * P, (b + n) * T * P), [n, T, P]),
          tf.tensor2d(windows.timeDays.subarray(b * T, (b + n) * T), [n, T]),
        ),
      );
      out.set((await y.data()) as Float32Array, b * T * P);
      y.dispose();
    }
    return out;
  }

  /** Save to `dir` as `config.json` (kind {@link LIGHTCURVE_GPT_KIND}) + `model.safetensors`, atomically (core's persist helper; Node). */
  async save(dir: string): Promise<void> {
    await saveModel(dir, this, { kind: LIGHTCURVE_GPT_KIND, schemaVersion: LIGHTCURVE_GPT_SCHEMA, hyperParameters: { ...this.config } });
  }

  /**
   * Load a model saved by {@link LightCurveGPT.save}. A wrong `kind` or schema version throws
   * `SchemaError`; a truncated or corrupt weight file `FormatError` (Node).
   */
  static async load(dir: string): Promise<LightCurveGPT> {
    const { model } = await loadModel<LightCurveGPT>(dir, {
      kind: LIGHTCURVE_GPT_KIND,
      schemaVersion: LIGHTCURVE_GPT_SCHEMA,
      build: (c) => new LightCurveGPT(c.hyperParameters as unknown as LightCurveGPTConfig),
    });
    return model;
  }
}

/**
 * Mean-pooled final hidden states of each window: Float32Array [windows × dim]. Reads back
 * asynchronously, so it runs on every backend (WebGPU in Node has no synchronous readback).
 */
export async function embedWindows(model: LightCurveGPT, w: PatchWindows, batchSize = 32): Promise<Float32Array> {
  const { dim } = model.config;
  const out = new Float32Array(w.windows * dim);
  const T = w.numPatches;
  const P = w.patchSize;
  for (let b = 0; b < w.windows; b += batchSize) {
    const n = Math.min(batchSize, w.windows - b);
    const e = tf.tidy(() => {
      const flux = tf.tensor3d(w.flux.subarray(b * T * P, (b + n) * T * P), [n, T, P]);
      const time = tf.tensor2d(w.timeDays.subarray(b * T, (b + n) * T), [n, T]);
      return tf.mean(model.forward(flux, time), 1);
    });
    out.set((await e.data()) as Float32Array, b * dim);
    e.dispose();
  }
  return out;
}
